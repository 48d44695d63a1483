import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { ConfigError } from '../../lambda/errors';
import { buildApp, synthesizeApp, UNCONFIGURED_STACK_NAME } from '../../lib/app';
import { editDistance } from '../../lambda/core/edit-distance';
import { CONTEXT_KEY_TYPOS, CONTEXT_KEYS, deploymentConfigFromContext, NoTargetsError } from '../../lib/config';
import { DEFAULT_SCHEDULE } from '../../lib/deployment-settings';

/** CDK context: the same conventions as the CLI, one message naming the key, the value and what is allowed. */

const OU = 'ou-ab12-cdef3456';
const ORG = 'o-a1b2c3d4e5';

/**
 * What the app says of this context, before anything is built: each value as the context parses it,
 * the rules between settings as the construct checks them (lib/account-janitor-rules.ts).
 */
function problemOf(context: Record<string, unknown>): string {
  try {
    buildApp(new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } }), {});
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

test('defaults: nightly at 03:00 UTC, the member role deployed to the target OUs', () => {
  expect(deploymentConfigFromContext({ targetOuIds: OU, organizationId: ORG })).toMatchObject({
    schedule: DEFAULT_SCHEDULE,
    timeZone: 'UTC',
    notificationEmails: [],
    deployMemberRole: true,
    memberRoleTargetOuIds: [OU],
    sweep: { targetOuIds: [OU], regions: 'all', mode: 'remediate', concurrency: 128 },
  });
});

test('values as `-c key=value` gives them: strings, comma-separated lists', () => {
  const config = deploymentConfigFromContext({
    targetOuIds: `${OU},ou-ab12-99990000`,
    organizationId: ORG,
    notificationEmails: 'a@example.com, b@example.com',
    deployMemberRole: 'false',
    concurrency: '32',
    schedule: 'rate(12 hours)',
    timeZone: 'America/New_York',
  });
  expect(config).toMatchObject({
    notificationEmails: ['a@example.com', 'b@example.com'],
    deployMemberRole: false,
    schedule: 'rate(12 hours)',
    timeZone: 'America/New_York',
    sweep: { targetOuIds: [OU, 'ou-ab12-99990000'], concurrency: 32 },
  });
});

test('feature flags and CDK internals in the context are not settings', () => {
  expect(() =>
    deploymentConfigFromContext({
      targetOuIds: OU,
      organizationId: ORG,
      '@aws-cdk/core:checkSecretUsage': true,
      'aws:cdk:bundling-stacks': [],
    }),
  ).not.toThrow();
});

test.each<[string, Record<string, unknown>, string]>([
  ['a bad OU id', { targetOuIds: 'sandbox' }, 'targetOuIds "sandbox": must be an OU id'],
  [
    'no targets',
    { regions: 'eu-west-1', deployMemberRole: false },
    'no target accounts: choose targetOuIds, accountIds or allAccounts',
  ],
  [
    'a cron with both day fields',
    { targetOuIds: OU, schedule: 'cron(0 3 * * * *)' },
    'schedule "cron(0 3 * * * *)": must be an EventBridge Scheduler expression',
  ],
  [
    'a Unix cron',
    { targetOuIds: OU, schedule: '0 3 * * *' },
    'schedule "0 3 * * *": must be an EventBridge Scheduler expression',
  ],
  [
    'an unknown time zone',
    { targetOuIds: OU, timeZone: 'Mars/Olympus' },
    'timeZone "Mars/Olympus": must be an IANA time zone',
  ],
  [
    'a bad e-mail',
    { targetOuIds: OU, notificationEmails: 'ops@example.com,ops' },
    'notificationEmails "ops": must be an e-mail address',
  ],
  [
    'a non-boolean deployMemberRole',
    { targetOuIds: OU, deployMemberRole: 'maybe' },
    'deployMemberRole "maybe": must be true or false',
  ],
  [
    'a bad member role OU',
    { targetOuIds: OU, memberRoleTargetOuIds: 'root' },
    'memberRoleTargetOuIds "root": must be an OU id',
  ],
  [
    'a StackSet with nowhere to go',
    { accountIds: '111122223333' },
    'memberRoleTargetOuIds: the member role StackSet deploys to OUs',
  ],
  [
    'an unknown StackSet caller',
    { targetOuIds: OU, stackSetCallAs: 'ADMIN' },
    'stackSetCallAs "ADMIN": must be SELF or DELEGATED_ADMIN',
  ],
  [
    'a typo in a key',
    { targetOuIds: OU, targetOUIds: OU },
    'targetOUIds: is not a known setting; did you mean targetOuIds?',
  ],
  ['two typos in a key', { targetOuIds: OU, notificationEmial: 'a@example.com' }, 'did you mean notificationEmails?'],
  [
    'a key like no other',
    { targetOuIds: OU, sandboxOu: OU },
    'sandboxOu: is not a known setting (allowed: targetOuIds, accountIds',
  ],
  [
    'a member role rolled out beyond the target OUs in remediate mode',
    { targetOuIds: OU, memberRoleTargetOuIds: `${OU},r-ab12` },
    'memberRoleTargetOuIds "r-ab12": not among the targets (targetOuIds: ou-ab12-cdef3456): in remediate mode the hub could write there; target them, or set memberRoleBeyondTargets=true if it is meant',
  ],
  [
    'a malformed organization id',
    { targetOuIds: OU, organizationId: 'org-1' },
    'organizationId "org-1": must be an organization id such as o-a1b2c3d4e5',
  ],
  [
    'an operator that is not a role ARN',
    { targetOuIds: OU, operatorPrincipalArns: 'arn:aws:iam::123456789012:user/me' },
    'operatorPrincipalArns "arn:aws:iam::123456789012:user/me": must be an IAM role ARN',
  ],
  [
    'huge concurrency',
    { targetOuIds: OU, concurrency: 100_000 },
    'concurrency 100000: must be a whole number from 1 to 256',
  ],
])('refuses %s, naming the key and the value', (_what, context, message) => {
  const text = problemOf(context);
  expect(text.startsWith('invalid CDK context: ')).toBe(true);
  expect(text).toContain(message);
});

test('organizationId may be left out: the stack reads it at deploy time; given, it is used as given', () => {
  const leftOut = deploymentConfigFromContext({ targetOuIds: OU });
  expect(leftOut.eventDrivenRepair).toBe(true);
  expect(leftOut.sweep.organizationId).toBeUndefined();
  expect(deploymentConfigFromContext({ targetOuIds: OU, organizationId: 'o-a1b2c3d4e5' })).toMatchObject({
    sweep: { organizationId: 'o-a1b2c3d4e5' },
  });
});

test('`cdk synth` with a bad context value fails with that one line and exit code 2, no stack trace', () => {
  const tsx = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
  const result = spawnSync(tsx, [join(__dirname, '..', '..', 'lib', 'app.ts')], {
    encoding: 'utf8',
    env: {
      ...process.env,
      // How the CDK CLI hands the app its context (cdk.json and -c values) and output directory.
      CDK_CONTEXT_JSON: JSON.stringify({ targetOuIds: 'sandbox', timeZone: 'Nowhere/Land' }),
      CDK_OUTDIR: mkdtempSync(join(tmpdir(), 'janitor-cdk-')),
    },
    timeout: 60_000,
  });
  expect(result.status).toBe(2);
  expect(result.stderr).toBe(
    'error: invalid CDK context: targetOuIds "sandbox": must be an OU id (ou-xxxx-xxxxxxxx) or an organization root id (r-xxxx); timeZone "Nowhere/Land": must be an IANA time zone such as UTC or Europe/Berlin\n',
  );
});

test('chat channels and the HTML report: bad values name the setting, the value and what is allowed', () => {
  expect(() =>
    deploymentConfigFromContext({
      targetOuIds: OU,
      slackChannels: '#general',
      teamsChannels: 'my-team/general/tenant',
      htmlReport: 'yes',
    }),
  ).toThrow(
    'invalid CDK context: slackChannels "#general": must be workspaceId/channelId, such as T07EA123LEP/C07EZ1ABC01; ' +
      'teamsChannels "my-team/general/tenant": must be teamId/channelId/tenantId, such as ' +
      '5f8e3c2a-1b4d-4e6f-9a0b-7c8d9e0f1a2b/19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2/0c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f; ' +
      'htmlReport "yes": must be true or false',
  );
  expect(() => deploymentConfigFromContext({ targetOuIds: OU, htmlReport: 'TRUE' })).toThrow(
    'invalid CDK context: htmlReport "TRUE": must be true or false',
  );
  expect(
    deploymentConfigFromContext({ targetOuIds: OU, slackChannels: 'T07EA123LEP/C07EZ1ABC01', htmlReport: 'true' }),
  ).toMatchObject({ slackChannels: [{ workspaceId: 'T07EA123LEP', channelId: 'C07EZ1ABC01' }], htmlReport: true });
});

test('"did you mean" names one key: the two closest known keys are more than twice its typos apart, or ties are possible', () => {
  const closest = Math.min(
    ...CONTEXT_KEYS.flatMap((a, i) =>
      CONTEXT_KEYS.slice(i + 1).map((b) => editDistance(a.toLowerCase(), b.toLowerCase())),
    ),
  );
  expect(closest).toBe(3); // accountIds and accountTags; maxQuietPeriod and quietPeriod
  expect(closest).toBeGreaterThan(CONTEXT_KEY_TYPOS);
  expect(editDistance('tagretOuIds', 'targetOuIds')).toBe(1); // a swapped pair is one typo
});

describe('without targets (cdk.json as it ships), the app builds no stack and says so in one line', () => {
  const synthesize = (context: Record<string, unknown>) => {
    const app = new App({ context });
    const lines: string[] = [];
    const code = synthesizeApp(app, (text) => lines.push(text));
    return { code, lines, stacks: app.synth().stacks.map((stack) => stack.stackName) };
  };
  // cdk.json's context as it ships: the placeholders a newcomer fills in, and the feature flags.
  const shipped = (
    JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }
  ).context;

  test('is told apart from a bad value: only the missing targets', () => {
    expect(shipped).toMatchObject({ targetOuIds: '', notificationEmails: '', operatorPrincipalArns: '' });
    expect(() => deploymentConfigFromContext(shipped)).toThrow(NoTargetsError);
    expect(() => deploymentConfigFromContext({ ...shipped, timeZone: 'Mars/Olympus' })).toThrow(
      'timeZone "Mars/Olympus": must be an IANA time zone',
    );
    expect(() => deploymentConfigFromContext({ ...shipped, timeZone: 'Mars/Olympus' })).not.toThrow(NoTargetsError);
    expect(synthesize({ ...shipped, timeZone: 'Mars/Olympus' }).code).toBe(2);
  });

  test('`cdk synth`, `diff`, `deploy` (stacks to bundle): no stack at all', () => {
    const { code, lines, stacks } = synthesize({ ...shipped, 'aws:cdk:bundling-stacks': ['**'] });
    expect(code).toBe(0);
    expect(stacks).toEqual([]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^account-janitor: no targets in the CDK context, so no stack: name them, e\.g\. npx cdk deploy -c targetOuIds=/,
    );
  });

  test("`cdk bootstrap`, `list` (nothing to bundle): one empty stack that is not the janitor's, for bootstrap to read", () => {
    const { code, lines, stacks } = synthesize({ ...shipped, 'aws:cdk:bundling-stacks': [] });
    expect(code).toBe(0);
    expect(stacks).toEqual([UNCONFIGURED_STACK_NAME]);
    expect(lines).toHaveLength(1);
  });
});
