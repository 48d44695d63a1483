import { LAMBDA_CONTEXT, testHandler } from '../support/test-handler';
import type { Context } from 'aws-lambda';
import { createAwsClients, type AwsClients } from '../../lambda/aws/clients';
import { sweepConfigToEnvironment } from '../../lambda/config/environment';
import { parseSweepConfig } from '../../lambda/config/parse';
import type { SweepReport } from '../../lambda/core/report';
import { freshEmulator, motoUrl, type Emulator } from '../support/emulator';
import { captureJsonLines } from '../support/capture-output';
import { createSnsInbox, type SnsInbox } from '../support/sns-inbox';

/** The Lambda door: events, narrowing, EMF metrics and JSON logs, against moto. */

let emulator: Emulator;
let inbox: SnsInbox;
let clients: AwsClients;
let ouId: string;
const accounts: Record<'a' | 'b' | 'outside', string> = { a: '', b: '', outside: '' };
const REGIONS = ['us-east-1', 'eu-west-1'];

beforeAll(async () => {
  emulator = await freshEmulator();
  const { fixture } = emulator;
  const { rootId } = await fixture.createOrganization();
  ouId = await fixture.createOu(rootId, 'Sandboxes');
  const elsewhere = await fixture.createOu(rootId, 'Elsewhere');
  accounts.a = await fixture.createAccount('a', ouId, rootId);
  accounts.b = await fixture.createAccount('b', ouId, rootId);
  accounts.outside = await fixture.createAccount('outside', elsewhere, rootId);
  for (const accountId of Object.values(accounts)) {
    for (const region of REGIONS) await fixture.provisionDefaultNetwork(accountId, region);
  }
  await fixture.deleteInternetRoute(accounts.a, 'eu-west-1');
  await fixture.deleteInternetRoute(accounts.b, 'us-east-1');
  clients = createAwsClients({ homeRegion: 'us-east-1' });
  inbox = await createSnsInbox(motoUrl(), 'janitor-digest');
});

afterAll(async () => {
  inbox.destroy();
  clients.destroy();
  await emulator.close();
});

/** Runs the handler with fresh Powertools instances, capturing what they print (JSON lines on stdout). */
async function invoke(event: unknown, raw: Record<string, unknown> = {}) {
  const config = parseSweepConfig({ targetOuIds: ouId, regions: REGIONS, ...raw }, 'test', (key) => key);
  const handler = testHandler(config, clients, inbox.topicArn);
  const { value: report, lines: output } = await captureJsonLines(() => handler(event, LAMBDA_CONTEXT));
  return { report, output };
}

const rowsOf = (report: SweepReport) =>
  report.results.map((result) => `${result.accountName}/${result.region}/${result.status}`);

test('a manual dry run narrowed to one account and region reports, writes nothing, and publishes metrics in EMF', async () => {
  emulator.proxy.clear();
  const { report, output } = await invoke({ dryRun: true, accountIds: [accounts.a], regions: ['eu-west-1'] });

  expect(rowsOf(report)).toEqual(['a/eu-west-1/would-restore']);
  expect(emulator.proxy.count({ action: 'CreateRoute' })).toBe(0);
  const emf = output.find((line) => '_aws' in line);
  expect(emf).toMatchObject({
    _aws: {
      CloudWatchMetrics: [{ Namespace: 'AccountJanitor', Dimensions: [expect.arrayContaining(['service', 'Mode'])] }],
    },
    service: 'account-janitor',
    Mode: 'report',
    AccountsScanned: 1,
    TargetsChecked: 1,
    DriftDetected: 1,
    RoutesRepaired: 0,
    RepairsFailed: 0,
    AccountErrors: 0,
  });
});

test('a scheduled event runs the configured remediation and logs one JSON line per repair', async () => {
  const scheduled = { version: '0', id: 'e1', 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} };
  const { report, output } = await invoke(scheduled);

  expect(rowsOf(report).sort()).toEqual([
    'a/eu-west-1/restored',
    'a/us-east-1/ok',
    'b/eu-west-1/ok',
    'b/us-east-1/restored',
  ]);
  const repairs = output.filter((line) => line['message'] === 'route repaired');
  expect(repairs).toHaveLength(2);
  expect(repairs).toContainEqual(
    expect.objectContaining({
      level: 'INFO',
      service: 'account-janitor',
      function_request_id: 'req-1',
      accountId: accounts.b,
      region: 'us-east-1',
      routeTableId: report.results.find((result) => result.accountId === accounts.b && result.region === 'us-east-1')
        ?.routeTableId,
      before: 'none',
      after: expect.stringMatching(/^igw-/),
      action: 'CreateRoute',
    }),
  );
  expect(output.find((line) => '_aws' in line)).toMatchObject({
    Mode: 'remediate',
    RoutesRepaired: 2,
    DriftDetected: 2,
    TargetsChecked: 4,
  });

  // One digest for the run, listing both repairs with before and after.
  const digests = (await inbox.messages()).filter((message) => message.Subject?.includes('repaired'));
  expect(digests).toHaveLength(1);
  expect(digests[0]?.Subject).toBe('account-janitor: 2 repaired');
  expect(digests[0]?.Message).toContain(`${accounts.b} (b) us-east-1 `);
  expect(digests[0]?.Message).toMatch(/restored: 0\.0\.0\.0\/0 none -> igw-/);
});

test('a run with nothing to report sends no digest', async () => {
  const before = (await inbox.messages()).length;
  const { report } = await invoke({});
  expect(report.summary.ok).toBe(4);
  expect(await inbox.messages()).toHaveLength(before);
});

test('with repairDefaultSubnets, a deleted default subnet is restored, counted in EMF and listed in the digest', async () => {
  await emulator.fixture.deleteDefaultSubnets(accounts.b, 'eu-west-1', ['eu-west-1c']);
  const before = (await inbox.messages()).length;
  const { report, output } = await invoke({}, { repairDefaultSubnets: true });

  const row = report.results.find((result) => result.accountId === accounts.b && result.region === 'eu-west-1');
  expect(row).toMatchObject({ status: 'ok', subnets: { status: 'subnets-restored', zonesRepaired: ['eu-west-1c'] } });
  expect(output.filter((line) => line['message'] === 'default subnet created')).toEqual([
    expect.objectContaining({
      level: 'INFO',
      accountId: accounts.b,
      availabilityZone: 'eu-west-1c',
      before: 'none',
      after: expect.stringMatching(/^subnet-/),
    }),
  ]);
  expect(output.find((line) => '_aws' in line)).toMatchObject({
    SubnetsRepaired: 1,
    SubnetsMisconfigured: 0,
    DriftDetected: 1,
    RoutesRepaired: 0,
  });
  const digests = (await inbox.messages()).slice(before);
  expect(digests.map((message) => message.Subject)).toEqual(['account-janitor: 1 repaired']);
  expect(digests[0]?.Message).toContain(
    `${accounts.b} (b) eu-west-1 ${row?.routeTableId} subnets-restored: subnets: created the default subnet of eu-west-1c`,
  );
});

test('an event asking for more than the configuration is refused before any AWS call', async () => {
  emulator.proxy.clear();
  await expect(invoke({ regions: ['ap-south-1'] })).rejects.toThrow(
    'regions "ap-south-1": not configured (configured: us-east-1, eu-west-1)',
  );
  await expect(invoke({ dryRun: false }, { mode: 'report' })).rejects.toThrow('dryRun false');
  await expect(invoke({ accountIds: [accounts.a] }, { targetOuIds: [], accountIds: accounts.b })).rejects.toThrow(
    `accountIds "${accounts.a}": not configured`,
  );
  await expect(invoke({ dryrun: true })).rejects.toThrow('dryrun: is not a known field');
  expect(emulator.proxy.requests).toHaveLength(0);
});

test('an account outside the configured OUs is refused after discovery, before any member account is entered', async () => {
  emulator.proxy.clear();
  await expect(invoke({ accountIds: [accounts.outside] })).rejects.toThrow(`accountIds "${accounts.outside}"`);
  expect(emulator.proxy.count({ service: 'sts', action: 'AssumeRole' })).toBe(0);
  expect(emulator.proxy.count({ service: 'ec2' })).toBe(0);
});

describe('the module handler (configuration from the environment, once per cold start)', () => {
  let saved: NodeJS.ProcessEnv;
  beforeEach(() => {
    saved = { ...process.env };
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  test('a bad variable fails the cold start with its name and value', () => {
    process.env['JANITOR_TARGET_OU_IDS'] = 'sandbox';
    expect(() => jest.isolateModules(() => void require('../../lambda/handler'))).toThrow(
      'invalid Lambda environment: JANITOR_TARGET_OU_IDS "sandbox": must be an OU id',
    );
  });

  test('no target in the environment fails the cold start', () => {
    expect(() => jest.isolateModules(() => void require('../../lambda/handler'))).toThrow(
      'no target accounts: choose JANITOR_TARGET_OU_IDS, JANITOR_ACCOUNT_IDS or JANITOR_ALL_ACCOUNTS',
    );
  });

  test('the exported handler runs a manual event with the configured sweep', async () => {
    Object.assign(
      process.env,
      sweepConfigToEnvironment(parseSweepConfig({ targetOuIds: ouId, regions: REGIONS }, 'test', (key) => key)),
    );
    let module: { handler: (event: unknown, context: Context) => Promise<SweepReport> } | undefined;
    jest.isolateModules(() => {
      module = require('../../lambda/handler');
    });
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const report = await module?.handler({ dryRun: true }, LAMBDA_CONTEXT);
      expect(report?.mode).toBe('report');
      expect(report?.summary.ok).toBe(4);
    } finally {
      write.mockRestore();
    }
  });
});
