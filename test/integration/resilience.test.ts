import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { createAwsClients, type AwsClients } from '../../lambda/aws/clients';
import { runCli } from '../../cli/cli';
import { parseSweepConfig } from '../../lambda/config/parse';
import type { SweepConfigInput } from '../../lambda/config/schema';
import type { SweepReport } from '../../lambda/core/report';
import { createHandler } from '../../lambda/handler-factory';
import { runSweep } from '../../lambda/sweep';
import type { Emulator } from '../support/emulator';
import { useSweepHarness } from '../support/sweep-harness';
import { captureJsonLines } from '../support/capture-output';
import { RecordingLogger } from '../support/recording-logger';

/**
 * Unattended at night across many accounts: throttling, server errors and dropped connections
 * are retried until every target has its right status; the deadline stops new work and reports
 * the rest `not-checked`; the repair cap stops a misfire from rewriting everything.
 */

const REGIONS = ['us-east-1', 'eu-west-1'];
const harness = useSweepHarness();
let emulator: Emulator;
let clients: AwsClients;
let ouId: string;
let accounts: string[];
/** What a fault-free remediation reports, per account/region. */
let expected: Record<string, string>;

beforeEach(async () => {
  ({ emulator, clients } = harness);
  const { fixture } = emulator;
  const { rootId } = await fixture.createOrganization();
  ouId = await fixture.createOu(rootId, 'Sandboxes');
  accounts = [];
  for (let index = 0; index < 6; index += 1)
    accounts.push(await fixture.createAccount(`sandbox-${index}`, ouId, rootId));
  expected = {};
  for (const accountId of accounts) {
    for (const region of REGIONS) {
      await fixture.provisionDefaultNetwork(accountId, region);
      expected[`${accountId}/${region}`] = 'ok';
    }
  }
  for (const accountId of accounts.slice(0, 3)) {
    await fixture.deleteInternetRoute(accountId, 'us-east-1');
    expected[`${accountId}/us-east-1`] = 'restored';
  }
  await fixture.replaceInternetGateway(String(accounts[3]), 'eu-west-1');
  expected[`${accounts[3]}/eu-west-1`] = 'replaced';
});

const config = (raw: SweepConfigInput = {}) =>
  parseSweepConfig({ targetOuIds: ouId, regions: REGIONS, ...raw }, 'test', (key) => key);

const statuses = (report: SweepReport) =>
  Object.fromEntries(report.results.map((result) => [`${result.accountId}/${result.region}`, result.status]));

/** Drifted targets whose 0.0.0.0/0 now targets the gateway attached to their default VPC. */
async function repairedInMoto(): Promise<number> {
  let repaired = 0;
  for (const key of Object.keys(expected).filter((target) => expected[target] !== 'ok')) {
    const [accountId = '', region = ''] = key.split('/');
    const target = await emulator.fixture.internetRouteTarget(accountId, region);
    if (target !== null && target === (await emulator.fixture.defaultVpcGatewayId(accountId, region))) repaired += 1;
  }
  return repaired;
}

describe('retries', () => {
  test('with a third of EC2, Organizations and STS calls throttled, every target ends right and every repair is made', async () => {
    const { proxy } = emulator;
    proxy.inject({ match: { service: 'ec2' }, code: 'RequestLimitExceeded', status: 503, every: 3, maxPerRequest: 2 });
    proxy.inject({ match: { service: 'organizations' }, code: 'TooManyRequestsException', every: 3, maxPerRequest: 2 });
    proxy.inject({ match: { service: 'sts' }, code: 'Throttling', every: 3, maxPerRequest: 2 });

    const report = await runSweep(config(), { clients, logger: new RecordingLogger() });

    expect(statuses(report)).toEqual(expected);
    expect(await repairedInMoto()).toBe(4);
    const throttled = proxy.requests.length;
    expect(throttled).toBeGreaterThan(6 + 12 * 3 + 4 * 2);
  });

  test('server errors and dropped connections are retried too', async () => {
    const { proxy } = emulator;
    proxy.inject({
      match: { service: 'ec2', action: 'DescribeRouteTables' },
      code: 'InternalError',
      every: 3,
      maxPerRequest: 2,
    });
    proxy.inject({ match: { service: 'ec2', action: 'DescribeVpcs' }, drop: true, every: 4, maxPerRequest: 2 });
    proxy.inject({ match: { service: 'organizations' }, drop: true, every: 3, maxPerRequest: 2 });

    const report = await runSweep(config(), { clients, logger: new RecordingLogger() });

    expect(statuses(report)).toEqual(expected);
    expect(await repairedInMoto()).toBe(4);
  });

  test('the attempt count is configurable: with one attempt, a throttled read is an error on its own row', async () => {
    emulator.proxy.inject({
      match: { service: 'ec2', action: 'DescribeVpcs', accountId: accounts[5], region: 'eu-west-1' },
      code: 'RequestLimitExceeded',
      status: 503,
    });
    const single = createAwsClients({ homeRegion: 'us-east-1', maxAttempts: 1 });
    try {
      const report = await runSweep(config({ maxAttempts: 1 }), { clients: single, logger: new RecordingLogger() });
      expect(statuses(report)).toEqual({ ...expected, [`${accounts[5]}/eu-west-1`]: 'error' });
      expect(
        emulator.proxy.count({ service: 'ec2', action: 'DescribeVpcs', accountId: accounts[5], region: 'eu-west-1' }),
      ).toBe(1);
    } finally {
      single.destroy();
    }
  });
});

describe('the time budget', () => {
  test('past the deadline nothing new starts; every target is still reported once, the rest not-checked', async () => {
    emulator.proxy.setLatency(300);
    const report = await runSweep(
      config({ concurrency: 2 }),
      { clients, logger: new RecordingLogger() },
      { deadline: new Date(Date.now() + 1_500) },
    );

    const covered = new Set<string>();
    for (const result of report.results) {
      if (result.region === null) {
        expect(result.status).toBe('not-checked');
        for (const region of REGIONS) covered.add(`${result.accountId}/${region}`);
      } else {
        covered.add(`${result.accountId}/${result.region}`);
        if (result.status !== 'not-checked')
          expect(result.status).toBe(expected[`${result.accountId}/${result.region}`]);
      }
    }
    expect([...covered].sort()).toEqual(Object.keys(expected).sort());
    expect(report.summary['not-checked']).toBeGreaterThan(0);
    expect(report.results.filter((result) => result.status !== 'not-checked').length).toBeGreaterThan(0);
    // Accounts not entered were never assumed into.
    const notEntered = report.results.filter((result) => result.region === null).map((result) => result.accountId);
    for (const accountId of notEntered) {
      expect(
        emulator.proxy.requests.filter((request) => request.params.get('RoleArn')?.includes(accountId)),
      ).toHaveLength(0);
    }
  });

  test('the CLI --deadline does the same, says so, and exits 1', async () => {
    emulator.proxy.setLatency(300);
    const out: string[] = [];
    const code = await runCli(
      [
        'node',
        'account-janitor',
        '--ou',
        ouId,
        '--region',
        REGIONS.join(','),
        '--concurrency',
        '1',
        '--deadline',
        '2s',
        '--dry-run',
      ],
      { stdout: (text) => out.push(text), stderr: () => undefined, stderrIsTty: false, env: process.env },
    );
    expect(code).toBe(1);
    expect(out.join('')).toMatch(/not-checked\s+.*not reached before the deadline/);
    expect(out.join('')).toContain('The deadline was reached');
  });

  test('in Lambda the deadline is the remaining time less the safety margin, and SweepIncomplete is published', async () => {
    emulator.proxy.setLatency(300);
    const handler = createHandler({
      config: config({ concurrency: 1, mode: 'report' }),
      clients,
      logger: new Logger({ serviceName: 'account-janitor' }),
      metrics: new Metrics({ namespace: 'AccountJanitor', serviceName: 'account-janitor' }),
      safetyMarginMs: 60_000,
    });
    const context = { getRemainingTimeInMillis: () => 61_000, awsRequestId: 'r' } as unknown as Context;
    const { value: report, lines } = await captureJsonLines(() => handler({}, context));
    expect(report.summary['not-checked']).toBeGreaterThan(0);
    expect(lines.find((line) => '_aws' in line)).toMatchObject({ SweepIncomplete: 1, RepairCapReached: 0 });
  });
});

describe('the repair cap', () => {
  test('past maxRepairsPerRun, drift is reported would-* and not written', async () => {
    const logger = new RecordingLogger();
    const report = await runSweep(config({ maxRepairsPerRun: 2 }), { clients, logger });

    const writes = emulator.proxy.requests.filter(
      (request) => request.action === 'CreateRoute' || request.action === 'ReplaceRoute',
    );
    expect(writes).toHaveLength(2);
    expect(report.summary.restored + report.summary.replaced).toBe(2);
    expect(report.summary['would-restore'] + report.summary['would-replace']).toBe(2);
    expect(report.repairCapReached).toBe(true);
    expect(
      report.results
        .filter((result) => result.status.startsWith('would-'))
        .every((result) => result.message.includes('cap of 2 writes')),
    ).toBe(true);
    expect(await repairedInMoto()).toBe(2);
    expect(logger.entries).toContainEqual(expect.objectContaining({ level: 'warn', message: 'repair cap reached' }));
  });

  test('a cap of 0 writes nothing at all', async () => {
    const report = await runSweep(config({ maxRepairsPerRun: 0 }), { clients, logger: new RecordingLogger() });
    expect(emulator.proxy.count({ action: 'CreateRoute' }) + emulator.proxy.count({ action: 'ReplaceRoute' })).toBe(0);
    expect(report.summary['would-restore']).toBe(3);
  });

  test('the CLI --max-repairs caps the run and exits 1; the handler publishes RepairCapReached', async () => {
    const out: string[] = [];
    const code = await runCli(
      ['node', 'account-janitor', '--ou', ouId, '--region', REGIONS.join(','), '--max-repairs', '1'],
      {
        stdout: (text) => out.push(text),
        stderr: () => undefined,
        stderrIsTty: false,
        env: process.env,
      },
    );
    expect(code).toBe(1);
    expect(out.join('')).toContain('The repair cap was reached');

    const handler = createHandler({
      config: config({ maxRepairsPerRun: 1 }),
      clients,
      logger: new Logger({ serviceName: 'account-janitor' }),
      metrics: new Metrics({ namespace: 'AccountJanitor', serviceName: 'account-janitor' }),
    });
    const { lines } = await captureJsonLines(() => handler({}));
    expect(lines.find((line) => '_aws' in line)).toMatchObject({ RepairCapReached: 1, RoutesRepaired: 1 });
  });
});
