/**
 * The Node.js versions the command runs on. The AWS SDK for JavaScript warns in nine lines, on the
 * first client it makes, that its releases from the first week of January 2027 need Node.js 22;
 * the command says it in one line of its own instead, and turns the SDK's off (its documented
 * switch, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).
 */

/** The oldest Node.js major that the AWS SDK's releases from January 2027 run on. */
export const SDK_NODE_MAJOR = 22;

/** The line to print on a Node.js older than SDK_NODE_MAJOR (every one of which is past its end of life); none on a newer one. */
export function nodeSupportNotice(version: string): string | undefined {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
  if (!Number.isInteger(major) || major >= SDK_NODE_MAJOR) return undefined;
  return (
    `account-janitor: Node.js ${version} is past its end of life, and AWS SDK releases from January 2027 need ` +
    `Node.js ${SDK_NODE_MAJOR} or later; this version of account-janitor still runs on it: upgrade to Node.js 22 or 24`
  );
}

/** Turns the SDK's own warning off where the notice replaces it. */
export function silenceSdkNodeWarning(env: NodeJS.ProcessEnv, version: string): void {
  if (nodeSupportNotice(version) !== undefined) env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
}
