import { DescribeInternetGatewaysCommand } from '@aws-sdk/client-ec2';
import type { SweepConfigInput } from '../../lambda/config/schema';
import type { SweepReport } from '../../lambda/core/report';
import type { Emulator } from '../support/emulator';
import { RecordingLogger } from '../support/recording-logger';
import { useSweepHarness } from '../support/sweep-harness';

/**
 * The opt-in gateway repair (repairInternetGateway), against moto: a default VPC whose internet
 * gateway a clean-up deleted gets a new one, tagged, attached, verified, and its route restored.
 */

const REGION = 'eu-west-1';
const harness = useSweepHarness();
let emulator: Emulator;
let ouId: string;
let accounts: Record<'staleRoute' | 'noRoute' | 'ignored', string>;

beforeEach(async () => {
  emulator = harness.emulator;
  const { fixture } = emulator;
  ({ ouId, accounts } = await fixture.createSandboxOu(['staleRoute', 'noRoute', 'ignored'], [REGION]));
  for (const accountId of Object.values(accounts)) await fixture.detachAndDeleteGateway(accountId, REGION);
  await fixture.deleteInternetRoute(accounts.noRoute, REGION);
  await fixture.tagIgnored(accounts.ignored, REGION, 'vpc');
});

const sweep = (raw: SweepConfigInput = {}, logger = new RecordingLogger()) =>
  harness.sweep({ targetOuIds: ouId, regions: REGION, ...raw }, { logger });

const statusOf = (report: SweepReport, accountId: string) =>
  report.results.find((result) => result.accountId === accountId && result.region === REGION);

const writesOnTheWire = () => harness.writesOnTheWire().sort();

test('off by default: a default VPC without a gateway is reported, nothing is written', async () => {
  const report = await sweep();
  expect(statusOf(report, accounts.staleRoute)?.status).toBe('no-internet-gateway');
  expect(statusOf(report, accounts.noRoute)?.status).toBe('no-internet-gateway');
  expect(writesOnTheWire()).toEqual([]);
});

test('a dry run with the switch on says would-restore-gateway and writes nothing at all', async () => {
  const report = await sweep({ repairInternetGateway: true, mode: 'report' });
  expect(statusOf(report, accounts.staleRoute)?.status).toBe('would-restore-gateway');
  expect(statusOf(report, accounts.noRoute)?.status).toBe('would-restore-gateway');
  expect(statusOf(report, accounts.ignored)?.status).toBe('ignored');
  expect(writesOnTheWire()).toEqual([]);
});

test('remediation creates, tags, attaches and verifies a gateway, restores the route, and a rerun writes nothing', async () => {
  const logger = new RecordingLogger();
  const report = await sweep({ repairInternetGateway: true }, logger);

  for (const accountId of [accounts.staleRoute, accounts.noRoute]) {
    const row = statusOf(report, accountId);
    expect(row).toMatchObject({ status: 'gateway-restored', internetGatewayId: expect.stringMatching(/^igw-/) });
    expect(await emulator.fixture.defaultVpcGatewayId(accountId, REGION)).toBe(row?.internetGatewayId);
    expect(await emulator.fixture.internetRouteTarget(accountId, REGION)).toBe(row?.internetGatewayId);
    const ec2 = await emulator.fixture.ec2(accountId, REGION);
    const { InternetGateways } = await ec2.send(
      new DescribeInternetGatewaysCommand({ InternetGatewayIds: [String(row?.internetGatewayId)] }),
    );
    expect(InternetGateways?.[0]?.Tags).toEqual([{ Key: 'account-janitor:created', Value: report.startedAt }]);
  }
  expect(statusOf(report, accounts.staleRoute)?.previousTarget).toMatch(/^igw-/);
  expect(statusOf(report, accounts.ignored)?.status).toBe('ignored');
  expect(await emulator.fixture.defaultVpcGatewayId(accounts.ignored, REGION)).toBeUndefined();
  expect(writesOnTheWire()).toEqual([
    'AttachInternetGateway',
    'AttachInternetGateway',
    'CreateInternetGateway',
    'CreateInternetGateway',
    'CreateRoute',
    'ReplaceRoute',
  ]);
  expect(logger.entries.filter((entry) => entry.message === 'internet gateway created')).toHaveLength(2);
  expect(logger.entries.filter((entry) => entry.message === 'route repaired')).toHaveLength(2);
  expect(report.summary['gateway-restored']).toBe(2);

  emulator.proxy.clear();
  const rerun = await sweep({ repairInternetGateway: true });
  expect(rerun.summary).toMatchObject({ ok: 2, ignored: 1, 'gateway-restored': 0 });
  expect(writesOnTheWire()).toEqual([]);
});

test.each([3, 5])('the repair cap counts every write: a gateway repair is three (cap %d: exactly one)', async (cap) => {
  const report = await sweep({ repairInternetGateway: true, maxRepairsPerRun: cap });
  const statuses = [statusOf(report, accounts.staleRoute)?.status, statusOf(report, accounts.noRoute)?.status].sort();
  expect(statuses).toEqual(['gateway-restored', 'would-restore-gateway']);
  expect(report.repairCapReached).toBe(true);
  expect(writesOnTheWire()).toHaveLength(3);
});

test('a refused attachment is repair-refused; the created gateway stays, tagged, and nothing is deleted', async () => {
  emulator.proxy.inject({
    match: { service: 'ec2', action: 'AttachInternetGateway', accountId: accounts.noRoute },
    code: 'UnauthorizedOperation',
    status: 403,
  });
  const report = await sweep({ repairInternetGateway: true });
  expect(statusOf(report, accounts.noRoute)).toMatchObject({
    status: 'repair-refused',
    errorCode: 'UnauthorizedOperation',
    internetGatewayId: expect.stringMatching(/^igw-/),
    message: expect.stringMatching(/^AttachInternetGateway refused \(UnauthorizedOperation\): denied by a policy/),
  });
  expect(statusOf(report, accounts.staleRoute)?.status).toBe('gateway-restored');
  expect(
    emulator.proxy.requests.some(
      (request) => request.action.startsWith('Delete') || request.action.startsWith('Detach'),
    ),
  ).toBe(false);
});

test('after a failed attachment, the next run attaches the gateway it left instead of creating another', async () => {
  emulator.proxy.inject({
    match: { service: 'ec2', action: 'AttachInternetGateway', accountId: accounts.noRoute },
    code: 'UnauthorizedOperation',
    status: 403,
  });
  const failed = statusOf(await sweep({ repairInternetGateway: true }), accounts.noRoute);
  expect(failed).toMatchObject({ status: 'repair-refused', internetGatewayId: expect.stringMatching(/^igw-/) });

  emulator.proxy.clear(); // requests and faults
  const logger = new RecordingLogger();
  // Two writes (attach, route) fit a cap of two: a reuse does not count the creation it skips.
  const rerun = statusOf(
    await sweep(
      { repairInternetGateway: true, maxRepairsPerRun: 2, accountIds: accounts.noRoute, targetOuIds: [] },
      logger,
    ),
    accounts.noRoute,
  );
  expect(rerun).toMatchObject({
    status: 'gateway-restored',
    internetGatewayId: failed?.internetGatewayId,
    message: expect.stringContaining(`attached detached ${String(failed?.internetGatewayId)}`),
  });
  const rerunWrites = emulator.proxy.requests
    .filter(
      (request) =>
        request.service === 'ec2' && request.accountId === accounts.noRoute && !request.action.startsWith('Describe'),
    )
    .map((request) => request.action);
  expect(rerunWrites).toEqual(['AttachInternetGateway', 'CreateRoute']);
  expect(logger.entries).toContainEqual(
    expect.objectContaining({
      message: 'internet gateway reused',
      attributes: expect.objectContaining({ internetGatewayId: failed?.internetGatewayId }),
    }),
  );
});
