import { parseSweepConfig } from '../../lambda/config/parse';
import type { SweepConfigInput } from '../../lambda/config/schema';
import { exitCodeFor, type SweepReport } from '../../lambda/core/report';
import { AWS_MESSAGES } from '../support/aws-proxy';
import type { Emulator } from '../support/emulator';
import { callsNotAllowed } from '../support/permissions';
import { RecordingLogger } from '../support/recording-logger';
import { useSweepHarness } from '../support/sweep-harness';

/**
 * The default subnets, against moto: checked only with checkDefaultSubnets or
 * repairDefaultSubnets, a zone without its default subnet gets one back (CreateDefaultSubnet,
 * verified) only with the repair switch, and misconfigured default subnets are reported, never
 * written. Moto's default VPC in eu-west-1 has a default subnet in each of its three zones.
 *
 * Moto's CreateDefaultSubnet takes the n-th /20 of the VPC, n being the number of default subnets
 * left, so the fixtures delete the last zones (AWS takes any free /20).
 */

const REGION = 'eu-west-1';
const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
const harness = useSweepHarness();
let emulator: Emulator;
let ouId: string;
let accounts: Record<'missingOne' | 'missingTwo' | 'misconfigured' | 'ignored' | 'healthy', string>;
let privateTableId: string;
let privateSubnetId: string;

beforeEach(async () => {
  emulator = harness.emulator;
  const { fixture } = emulator;
  ({ ouId, accounts } = await fixture.createSandboxOu(
    ['missingOne', 'missingTwo', 'misconfigured', 'ignored', 'healthy'],
    [REGION],
  ));
  await fixture.deleteDefaultSubnets(accounts.missingOne, REGION, ['eu-west-1c']);
  await fixture.deleteDefaultSubnets(accounts.missingTwo, REGION, ['eu-west-1b', 'eu-west-1c']);
  privateSubnetId = await fixture.turnOffPublicIps(accounts.misconfigured, REGION, 'eu-west-1a');
  privateTableId = await fixture.associateWithPrivateTable(accounts.misconfigured, REGION, 'eu-west-1b');
  await fixture.deleteDefaultSubnets(accounts.ignored, REGION, ['eu-west-1c']);
  await fixture.tagIgnored(accounts.ignored, REGION, 'vpc');
  emulator.proxy.clear();
});

const sweep = (raw: SweepConfigInput = {}, logger = new RecordingLogger()) =>
  harness.sweep({ targetOuIds: ouId, regions: REGION, ...raw }, { logger, settleDelaysMs: [0, 0, 0] });

/** The configuration targets this account alone. */
const only = (accountId: string) => ({ targetOuIds: [], accountIds: accountId });

const rowOf = (report: SweepReport, accountId: string) =>
  report.results.find((result) => result.accountId === accountId && result.region === REGION);

const ec2Requests = () => emulator.proxy.requests.filter((request) => request.service === 'ec2');
const writesOnTheWire = () =>
  ec2Requests()
    .filter((request) => !request.action.startsWith('Describe'))
    .map((request) => `${request.action} ${request.params.get('AvailabilityZone') ?? ''}`.trim())
    .sort();

const zonesWithDefaultSubnet = async (accountId: string) =>
  (await emulator.fixture.defaultSubnets(accountId, REGION)).map((subnet) => subnet.AvailabilityZone);

test('off by default: the subnets are not read, and a healthy account-region costs three EC2 reads', async () => {
  const report = await sweep();
  expect(report.results.every((row) => row.subnets === null)).toBe(true);
  expect(ec2Requests().map((request) => request.action)).not.toEqual(
    expect.arrayContaining([expect.stringMatching(/AvailabilityZones/)]),
  );
  // The path check (on by default) asks only whether the subnet on the private table is a default one.
  expect(
    ec2Requests()
      .filter((request) => request.action === 'DescribeSubnets')
      .map((request) => request.accountId),
  ).toEqual([accounts.misconfigured]);
  const healthyReads = ec2Requests().filter((request) => request.accountId === accounts.healthy);
  expect(healthyReads.map((request) => request.action).sort()).toEqual([
    'DescribeInternetGateways',
    'DescribeRouteTables',
    'DescribeVpcs',
  ]);
  expect(report.subnetSummary['subnets-missing']).toBe(0);
});

test('checkDefaultSubnets reports missing zones and misconfigured subnets, writes nothing, in five reads', async () => {
  const report = await sweep({ checkDefaultSubnets: true });

  expect(rowOf(report, accounts.missingOne)).toMatchObject({
    status: 'ok',
    subnets: { status: 'subnets-missing', zonesMissing: ['eu-west-1c'], zonesRepaired: [], findings: [] },
  });
  expect(rowOf(report, accounts.missingTwo)?.subnets).toMatchObject({
    status: 'subnets-missing',
    zonesMissing: ['eu-west-1b', 'eu-west-1c'],
    message: 'no default subnet in eu-west-1b, eu-west-1c',
  });
  expect(rowOf(report, accounts.misconfigured)?.subnets).toEqual({
    status: 'subnets-misconfigured',
    zonesRepaired: [],
    zonesMissing: [],
    findings: [
      expect.objectContaining({ subnetId: privateSubnetId, availabilityZone: 'eu-west-1a', problem: 'public-ip-off' }),
      expect.objectContaining({
        availabilityZone: 'eu-west-1b',
        problem: 'no-route-to-gateway',
        routeTableId: privateTableId,
        message: expect.stringContaining(`is associated with ${privateTableId}, which has no 0.0.0.0/0 route`),
      }),
    ],
    errorCode: null,
    message: expect.stringContaining('MapPublicIpOnLaunch off'),
  });
  expect(rowOf(report, accounts.healthy)?.subnets).toMatchObject({ status: 'subnets-ok', findings: [] });
  expect(rowOf(report, accounts.ignored)).toMatchObject({ status: 'ignored', subnets: null });
  expect(report.subnetSummary).toMatchObject({ 'subnets-ok': 1, 'subnets-missing': 2, 'subnets-misconfigured': 1 });
  expect(exitCodeFor(report)).toBe(1);
  expect(writesOnTheWire()).toEqual([]);

  const healthyReads = ec2Requests().filter((request) => request.accountId === accounts.healthy);
  expect(healthyReads.map((request) => request.action).sort()).toEqual([
    'DescribeAvailabilityZones',
    'DescribeInternetGateways',
    'DescribeRouteTables',
    'DescribeSubnets',
    'DescribeVpcs',
  ]);
});

test('a dry run with repairDefaultSubnets says would-restore-subnets, with the zones, and writes nothing', async () => {
  const report = await sweep({ repairDefaultSubnets: true, mode: 'report' });
  expect(rowOf(report, accounts.missingTwo)?.subnets).toMatchObject({
    status: 'would-restore-subnets',
    zonesMissing: ['eu-west-1b', 'eu-west-1c'],
  });
  expect(rowOf(report, accounts.missingOne)?.subnets?.status).toBe('would-restore-subnets');
  expect(rowOf(report, accounts.ignored)?.subnets).toBeNull();
  expect(writesOnTheWire()).toEqual([]);
  expect(await zonesWithDefaultSubnet(accounts.missingTwo)).toEqual(['eu-west-1a']);
});

test('remediation creates the missing default subnets, verified and logged; misconfigured ones are left; a rerun writes nothing', async () => {
  const misconfiguredBefore = await emulator.fixture.defaultSubnets(accounts.misconfigured, REGION);
  const logger = new RecordingLogger();
  const report = await sweep({ repairDefaultSubnets: true }, logger);

  expect(rowOf(report, accounts.missingTwo)).toMatchObject({
    status: 'ok',
    subnets: {
      status: 'subnets-restored',
      zonesRepaired: ['eu-west-1b', 'eu-west-1c'],
      zonesMissing: [],
      message: expect.stringMatching(/^created the default subnet of eu-west-1b \(subnet-\w+\), eu-west-1c/),
    },
  });
  expect(rowOf(report, accounts.missingOne)?.subnets).toMatchObject({
    status: 'subnets-restored',
    zonesRepaired: ['eu-west-1c'],
  });
  for (const accountId of [accounts.missingOne, accounts.missingTwo]) {
    const subnets = await emulator.fixture.defaultSubnets(accountId, REGION);
    expect(subnets.map((subnet) => subnet.AvailabilityZone)).toEqual(ZONES);
    expect(subnets.every((subnet) => subnet.MapPublicIpOnLaunch === true)).toBe(true);
  }
  expect(writesOnTheWire()).toEqual([
    'CreateDefaultSubnet eu-west-1b',
    'CreateDefaultSubnet eu-west-1c',
    'CreateDefaultSubnet eu-west-1c',
  ]);
  expect(await zonesWithDefaultSubnet(accounts.ignored)).toEqual(['eu-west-1a', 'eu-west-1b']);
  expect(rowOf(report, accounts.misconfigured)?.subnets?.status).toBe('subnets-misconfigured');
  expect(await emulator.fixture.defaultSubnets(accounts.misconfigured, REGION)).toEqual(misconfiguredBefore);

  const created = logger.entries.filter((entry) => entry.message === 'default subnet created');
  expect(created).toHaveLength(3);
  expect(created[0]?.attributes).toMatchObject({
    action: 'CreateDefaultSubnet',
    before: 'none',
    after: expect.stringMatching(/^subnet-/),
    vpcId: expect.stringMatching(/^vpc-/),
  });
  expect(logger.entries.filter((entry) => entry.message === 'default subnets repaired')).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ attributes: expect.objectContaining({ verified: true, zones: ['eu-west-1c'] }) }),
    ]),
  );
  expect(report.subnetSummary).toMatchObject({ 'subnets-restored': 2, 'subnets-misconfigured': 1, 'subnets-ok': 1 });
  const config = parseSweepConfig({ targetOuIds: ouId, repairDefaultSubnets: true }, 'test', (key) => key);
  expect(callsNotAllowed(emulator.proxy.requests, config)).toEqual([]);

  emulator.proxy.clear();
  const rerun = await sweep({ repairDefaultSubnets: true });
  expect(rerun.subnetSummary).toMatchObject({ 'subnets-ok': 3, 'subnets-misconfigured': 1, 'subnets-restored': 0 });
  expect(writesOnTheWire()).toEqual([]);
});

test('the repair cap counts each default subnet as a write, after the route', async () => {
  await emulator.fixture.deleteInternetRoute(accounts.missingOne, REGION);
  const cappedAtOne = await sweep({ repairDefaultSubnets: true, maxRepairsPerRun: 1, ...only(accounts.missingOne) });
  expect(rowOf(cappedAtOne, accounts.missingOne)).toMatchObject({
    status: 'restored',
    subnets: {
      status: 'would-restore-subnets',
      message: expect.stringContaining('reached its cap of 1 writes (maxRepairsPerRun)'),
    },
  });
  expect(cappedAtOne.repairCapReached).toBe(true);
  expect(writesOnTheWire()).toEqual(['CreateRoute']);

  emulator.proxy.clear();
  // One missing zone and two missing zones, three writes wanted, two allowed: one account is left.
  const cappedAtTwo = await sweep({ repairDefaultSubnets: true, maxRepairsPerRun: 2 });
  const rows = [accounts.missingOne, accounts.missingTwo].map((id) => rowOf(cappedAtTwo, id)?.subnets);
  expect(rows.map((subnets) => subnets?.status).sort()).toEqual(['subnets-restored', 'would-restore-subnets']);
  expect(cappedAtTwo.repairCapReached).toBe(true);
  const repairedZones = rows.flatMap((subnets) => subnets?.zonesRepaired ?? []);
  expect(writesOnTheWire()).toHaveLength(repairedZones.length);
});

test('a refusal after some zones were created: those are verified and listed, the rest is left for the next run', async () => {
  emulator.proxy.inject({
    match: { service: 'ec2', action: 'CreateDefaultSubnet', accountId: accounts.missingTwo },
    when: (request) => request.params.get('AvailabilityZone') === 'eu-west-1c',
    code: 'SubnetLimitExceeded',
  });
  const report = await sweep({ repairDefaultSubnets: true, ...only(accounts.missingTwo) });
  expect(rowOf(report, accounts.missingTwo)?.subnets).toMatchObject({
    status: 'subnets-repair-failed',
    zonesRepaired: ['eu-west-1b'],
    zonesMissing: ['eu-west-1c'],
    errorCode: 'SubnetLimitExceeded',
    message: 'CreateDefaultSubnet in eu-west-1c failed: SubnetLimitExceeded',
  });
  expect(await zonesWithDefaultSubnet(accounts.missingTwo)).toEqual(['eu-west-1a', 'eu-west-1b']);

  emulator.proxy.clear();
  const rerun = await sweep({ repairDefaultSubnets: true, ...only(accounts.missingTwo) });
  expect(rerun.results[0]?.subnets).toMatchObject({ status: 'subnets-restored', zonesRepaired: ['eu-west-1c'] });
  expect(writesOnTheWire()).toEqual(['CreateDefaultSubnet eu-west-1c']);
});

test('a member role without the subnet permissions: the route is still checked and repaired, the subnets are subnets-error', async () => {
  await emulator.fixture.deleteInternetRoute(accounts.missingOne, REGION);
  emulator.proxy.inject({
    match: { service: 'ec2', action: 'DescribeSubnets', accountId: accounts.missingOne },
    code: 'UnauthorizedOperation',
    status: 403,
  });
  const report = await sweep({ repairDefaultSubnets: true, ...only(accounts.missingOne) });
  expect(rowOf(report, accounts.missingOne)).toMatchObject({
    status: 'restored',
    subnets: {
      status: 'subnets-error',
      errorCode: 'UnauthorizedOperation',
      message: expect.stringContaining('does the member role have the subnet permissions?'),
    },
  });
  expect(exitCodeFor(report)).toBe(1);
  expect(writesOnTheWire()).toEqual(['CreateRoute']);
});

test('a main route table tagged account-janitor:ignore keeps the janitor away from the default subnets too', async () => {
  await emulator.fixture.tagIgnored(accounts.missingOne, REGION, 'route-table');
  const report = await sweep({ repairDefaultSubnets: true, ...only(accounts.missingOne) });
  expect(rowOf(report, accounts.missingOne)).toMatchObject({ status: 'ignored', subnets: null });
  expect(writesOnTheWire()).toEqual([]);
});

test('a refused CreateDefaultSubnet is subnets-repair-refused, naming the policy; the route row is untouched', async () => {
  emulator.proxy.inject({
    match: { service: 'ec2', action: 'CreateDefaultSubnet', accountId: accounts.missingTwo },
    code: 'UnauthorizedOperation',
    status: 403,
    message: (request) => AWS_MESSAGES.noIdentityPolicy(request),
  });
  const report = await sweep({ repairDefaultSubnets: true });
  expect(rowOf(report, accounts.missingTwo)).toMatchObject({
    status: 'ok',
    subnets: {
      status: 'subnets-repair-refused',
      errorCode: 'UnauthorizedOperation',
      zonesRepaired: [],
      zonesMissing: ['eu-west-1b', 'eu-west-1c'],
      message: expect.stringMatching(
        /^CreateDefaultSubnet in eu-west-1b refused \(UnauthorizedOperation\): not allowed: no identity-based policy allows ec2:CreateDefaultSubnet; next: the member role's policy lacks ec2:CreateDefaultSubnet/,
      ),
    },
  });
  expect(rowOf(report, accounts.missingOne)?.subnets?.status).toBe('subnets-restored');
  expect(exitCodeFor(report)).toBe(1);
});

test('a subnet that does not show up after CreateDefaultSubnet is not reported restored', async () => {
  emulator.proxy.inject({
    match: { service: 'ec2', action: 'CreateDefaultSubnet', accountId: accounts.missingOne },
    reply:
      '<CreateDefaultSubnetResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>1</requestId>' +
      '<subnet><subnetId>subnet-phantom</subnetId><availabilityZone>eu-west-1c</availabilityZone></subnet>' +
      '</CreateDefaultSubnetResponse>',
  });
  const report = await sweep({ repairDefaultSubnets: true, ...only(accounts.missingOne) });
  expect(rowOf(report, accounts.missingOne)?.subnets).toMatchObject({
    status: 'subnets-repair-failed',
    errorCode: 'VerificationFailed',
    zonesMissing: ['eu-west-1c'],
  });
});

test('a recreated default VPC is checked as it is now: its subnets, from the same re-read', async () => {
  await emulator.fixture.deleteDefaultVpc(accounts.healthy, REGION);
  emulator.proxy.clear();
  const report = await sweep({ recreateDefaultVpc: true, repairDefaultSubnets: true, ...only(accounts.healthy) });
  expect(rowOf(report, accounts.healthy)).toMatchObject({
    status: 'vpc-recreated',
    subnets: { status: 'subnets-ok' },
  });
  // Every subnet read rode along a region read: none of its own.
  const count = (action: string) => ec2Requests().filter((request) => request.action === action).length;
  expect(count('DescribeSubnets')).toBeGreaterThanOrEqual(2);
  expect(count('DescribeSubnets')).toBe(count('DescribeVpcs'));
  expect(writesOnTheWire().filter((write) => write.startsWith('CreateDefaultSubnet'))).toEqual([]);
});

test('a default subnet tagged account-janitor:ignore=true is not reported', async () => {
  await emulator.fixture.tagIgnored(accounts.misconfigured, REGION, { subnetOf: 'eu-west-1a' });
  const report = await sweep({ checkDefaultSubnets: true, ...only(accounts.misconfigured) });
  expect(rowOf(report, accounts.misconfigured)?.subnets?.findings).toEqual([
    expect.objectContaining({ availabilityZone: 'eu-west-1b', problem: 'no-route-to-gateway' }),
  ]);
});

test("after CreateDefaultVpc, AWS's default subnets are waited for, not created a second time", async () => {
  await emulator.fixture.deleteDefaultVpc(accounts.healthy, REGION);
  emulator.proxy.clear();
  // As AWS does, CreateDefaultVpc comes with the gateway and route (and moto adds the subnets)...
  emulator.proxy.inject({
    match: { service: 'ec2', action: 'CreateDefaultVpc', accountId: accounts.healthy },
    after: () => emulator.fixture.provisionDefaultNetwork(accounts.healthy, REGION).then(() => undefined),
  });
  // ...but the first subnet read after the creation does not show the new default subnets yet.
  const created = () => emulator.proxy.requests.some((request) => request.action === 'CreateDefaultVpc');
  emulator.proxy.inject({
    match: { service: 'ec2', action: 'DescribeSubnets', accountId: accounts.healthy },
    when: created,
    times: 1,
    reply:
      '<DescribeSubnetsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>1</requestId>' +
      '<subnetSet/></DescribeSubnetsResponse>',
  });
  const report = await sweep({ recreateDefaultVpc: true, repairDefaultSubnets: true, ...only(accounts.healthy) });
  expect(rowOf(report, accounts.healthy)).toMatchObject({ status: 'vpc-recreated', subnets: { status: 'subnets-ok' } });
  expect(writesOnTheWire()).toEqual(['CreateDefaultVpc']);
});
