import { CloudFormationClient, DescribeStackSetCommand, type CallAs } from '@aws-sdk/client-cloudformation';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { NodeHttpHandler, streamCollector } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { AwsClients } from './clients';

/**
 * doctor's reads for the member roles' trust: the member role StackSet's template and parameters
 * (CloudFormation, in the hub), and a role's trust policy as it is in a member account (IAM
 * GetRole, through the read-only role).
 *
 * Why GetRole is signed here: IAM has no client among the runtime dependencies
 * (`@aws-sdk/client-iam` is a development one, for the tests), and doctor needs one call of it: a
 * Query API request signed as the SDK signs it (SignatureV4), to IAM's one endpoint of the
 * partition, or to AWS_ENDPOINT_URL_IAM / AWS_ENDPOINT_URL as the SDK would.
 */

/** The member role StackSet as deployed: its template body and parameter values. */
export async function describeStackSetTemplate(
  clients: AwsClients,
  stackSetName: string,
  callAs: string,
): Promise<{ readonly templateBody: string; readonly parameters: Readonly<Record<string, string>> }> {
  const { StackSet: stackSet } = await clients
    .hub(CloudFormationClient)
    .send(new DescribeStackSetCommand({ StackSetName: stackSetName, CallAs: callAs as CallAs }));
  return {
    templateBody: stackSet?.TemplateBody ?? '{}',
    parameters: Object.fromEntries(
      (stackSet?.Parameters ?? []).map((parameter) => [
        String(parameter.ParameterKey),
        String(parameter.ParameterValue ?? ''),
      ]),
    ),
  };
}

/** IAM's endpoint and signing region in each partition (IAM is global: one per partition). */
const IAM_ENDPOINTS: Readonly<Record<string, { readonly url: string; readonly region: string }>> = {
  aws: { url: 'https://iam.amazonaws.com', region: 'us-east-1' },
  'aws-cn': { url: 'https://iam.cn-north-1.amazonaws.com.cn', region: 'cn-north-1' },
  'aws-us-gov': { url: 'https://iam.us-gov.amazonaws.com', region: 'us-gov-west-1' },
};

/** The HTTP handler of doctor's IAM reads, made at the first. */
let handler: NodeHttpHandler | undefined;

/** A failed IAM call, with its AWS code (as `awsErrorCode` reads it). */
class IamError extends Error {
  public constructor(
    public readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

/**
 * A role's trust policy (its JSON text) as IAM holds it, or `null` when there is no such role.
 * Throws an error with the AWS code (AccessDenied…) otherwise.
 */
export async function roleTrustPolicy(
  credentials: AwsCredentialIdentity,
  roleName: string,
  partition: string,
  {
    environment = process.env,
    requestHandler,
  }: { environment?: NodeJS.ProcessEnv; requestHandler?: Pick<NodeHttpHandler, 'handle'> } = {},
): Promise<string | null> {
  const known = IAM_ENDPOINTS[partition] ?? IAM_ENDPOINTS['aws'];
  const configured = environment['AWS_ENDPOINT_URL_IAM'] || environment['AWS_ENDPOINT_URL'];
  const url = new URL(configured || String(known?.url));
  const body = new URLSearchParams({ Action: 'GetRole', Version: '2010-05-08', RoleName: roleName }).toString();
  const request = new HttpRequest({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  });
  const signer = new SignatureV4({ credentials, region: String(known?.region), service: 'iam', sha256: Sha256 });
  const send =
    requestHandler ?? (handler ??= new NodeHttpHandler({ connectionTimeout: 5_000, requestTimeout: 30_000 }));
  const { response } = await send.handle(new HttpRequest(await signer.sign(request)));
  const text = new TextDecoder().decode(await streamCollector(response.body as Parameters<typeof streamCollector>[0]));
  if (response.statusCode >= 300) {
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? `HTTP${response.statusCode}`;
    if (code === 'NoSuchEntity') return null;
    throw new IamError(code, /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? code);
  }
  const document = /<AssumeRolePolicyDocument>([^<]*)<\/AssumeRolePolicyDocument>/.exec(text)?.[1];
  if (document === undefined) throw new IamError('MalformedResponse', 'GetRole answered without a trust policy');
  // IAM returns the policy URL-encoded, inside XML.
  return decodeURIComponent(unescapeXml(document));
}

function unescapeXml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
