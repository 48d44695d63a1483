import { testHandler } from '../support/test-handler';
import { createAwsClients, type AwsClients } from '../../lambda/aws/clients';
import { runCli } from '../../cli/cli';
import { parseSweepConfig } from '../../lambda/config/parse';
import type { SweepReport } from '../../lambda/core/report';
import { AWS_MESSAGES } from '../support/aws-proxy';
import { captureJsonLines } from '../support/capture-output';
import { capturedIo } from '../support/cli-io';
import { freshEmulator, motoUrl, type Emulator } from '../support/emulator';
import { createSnsInbox, type SnsInbox } from '../support/sns-inbox';

/**
 * The three denials EC2 gives a member role, replayed with AWS's exact codes, statuses and
 * messages through the proxy (moto enforces no IAM and no SCP):
 * - a member role whose policy was detached: UnauthorizedOperation "… because no identity-based
 *   policy allows …" in every region → access-denied, AccountErrors, a digest line, exit 1;
 * - a region the account has not opted into: AuthFailure (401) → region-disabled, not an error;
 * - a region-deny SCP: UnauthorizedOperation "… with an explicit deny in a service control
 *   policy" → region-denied with the reason, not an error.
 */

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-east-1'];
let emulator: Emulator;
let inbox: SnsInbox;
let clients: AwsClients;
let ouId: string;
let accounts: Record<'stripped' | 'fenced' | 'healthy', string>;

beforeAll(async () => {
  emulator = await freshEmulator();
  ({ ouId, accounts } = await emulator.fixture.createSandboxOu(['stripped', 'fenced', 'healthy'], REGIONS));
  clients = createAwsClients({ homeRegion: 'us-east-1', maxAttempts: 2 });
  inbox = await createSnsInbox(motoUrl(), 'janitor-denials');
});

afterAll(async () => {
  inbox.destroy();
  clients.destroy();
  await emulator.close();
});

beforeEach(() => {
  const { proxy } = emulator;
  proxy.clear();
  // AWS refuses a region the account has not opted into before it looks at any policy.
  // ap-east-1 is an opt-in region that no account enabled.
  proxy.inject({
    match: { service: 'ec2', region: 'ap-east-1' },
    code: 'AuthFailure',
    status: 401,
    message: AWS_MESSAGES.optInRegion,
  });
  // The member role of `stripped` lost its policy: every EC2 read is refused, in every region.
  proxy.inject({
    match: { service: 'ec2', accountId: accounts.stripped },
    code: 'UnauthorizedOperation',
    status: 403,
    message: (request) => AWS_MESSAGES.noIdentityPolicy(request),
  });
  // An SCP on `fenced` denies eu-west-1.
  proxy.inject({
    match: { service: 'ec2', accountId: accounts.fenced, region: 'eu-west-1' },
    code: 'UnauthorizedOperation',
    status: 403,
    message: (request) => AWS_MESSAGES.scpDeny(request),
  });
});

const rowOf = (report: SweepReport, account: string, region: string) =>
  report.results.find((row) => row.accountId === account && row.region === region);

test('the handler: access-denied rows with the action, region-disabled and region-denied, and their metrics and digest', async () => {
  const config = parseSweepConfig({ targetOuIds: ouId, regions: REGIONS }, 'test', (key) => key);
  const handler = testHandler(config, clients, inbox.topicArn);
  const { value: report, lines } = await captureJsonLines(() => handler({}));

  for (const region of ['us-east-1', 'eu-west-1']) {
    expect(rowOf(report, accounts.stripped, region)).toMatchObject({
      status: 'access-denied',
      errorCode: 'UnauthorizedOperation',
      message: expect.stringMatching(
        /^ec2:Describe(Vpcs|InternetGateways|RouteTables) denied to AccountJanitorMemberRole \(UnauthorizedOperation\): check the member role's policy$/,
      ),
    });
  }
  for (const account of Object.values(accounts)) {
    expect(rowOf(report, account, 'ap-east-1')).toMatchObject({ status: 'region-disabled', errorCode: 'AuthFailure' });
  }
  expect(rowOf(report, accounts.fenced, 'eu-west-1')).toMatchObject({
    status: 'region-denied',
    errorCode: 'UnauthorizedOperation',
    message: expect.stringMatching(
      /denied with an explicit deny in a service control policy \(UnauthorizedOperation\)$/,
    ),
  });
  expect(rowOf(report, accounts.fenced, 'us-east-1')?.status).toBe('ok');
  expect(rowOf(report, accounts.healthy, 'eu-west-1')?.status).toBe('ok');

  const emf = lines.find((line) => '_aws' in line);
  expect(emf).toMatchObject({ AccountErrors: 1, RegionsDisabled: 4, TargetsIgnored: 0 });

  const [digest] = await inbox.messages();
  expect(digest?.Subject).toBe('account-janitor: 2 failed');
  expect(digest?.Message).toContain(`${accounts.stripped} (stripped) us-east-1 access-denied [UnauthorizedOperation]`);
  // Regions not checked are expected: counted in one line, not listed.
  expect(digest?.Message).toMatch(/^Not listed: .*\d regions? disabled, \d regions? denied by an SCP\.$/m);
  expect(digest?.Message).not.toContain(`${accounts.fenced} (fenced) eu-west-1 region-denied`);
});

test('the CLI: a stripped member role makes it exit 1; disabled and denied regions alone do not', async () => {
  const run = async (args: string[]) => {
    const output = capturedIo();
    const code = await runCli(['node', 'account-janitor', ...args], output.io);
    return { code, stdout: output.stdout() };
  };
  const everything = await run(['--ou', ouId, '--region', REGIONS.join(',')]);
  expect(everything.code).toBe(1);
  expect(everything.stdout).toMatch(new RegExp(`stripped \\(${accounts.stripped}\\)\\s+eu-west-1\\s+access-denied`));

  const withoutStripped = await run([
    '--ou',
    ouId,
    '--region',
    REGIONS.join(','),
    '--exclude-account',
    accounts.stripped,
  ]);
  expect(withoutStripped.stdout).toMatch(/region-denied/);
  expect(withoutStripped.stdout).toMatch(/region-disabled/);
  expect(withoutStripped.code).toBe(0);
});
