import { CreateNetworkInterfaceCommand, CreateRouteCommand } from '@aws-sdk/client-ec2';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { parseSweepConfig } from '../../lambda/config/parse';
import type { SweepReport } from '../../lambda/core/report';
import { takeBreakingEvent, type IntakeSettings } from '../../lambda/events/intake';
import { renderDigest } from '../../lambda/report/digest';
import { emulateBlockPublicAccess } from '../support/block-public-access';
import { cloudTrailEvent, intakeSettingsFor, pendingRepairs, runDueRepairs } from '../support/event-path';
import { RecordingLogger } from '../support/recording-logger';
import { rowOf, useSweepHarness } from '../support/sweep-harness';
import { testHandler } from '../support/test-handler';

/**
 * The event path hears the calls that take the path away while the route stays (issue 30 §4): a
 * CreateRoute that shadows 0.0.0.0/0 in the main table, a default subnet associated with another
 * table. Each is made in moto, its CloudTrail event goes through the real intake, and the targeted
 * sweep after the quiet period reports the path's status with the caller named. Nothing is written.
 */

const REGION = 'eu-west-1';
const QUIET_SECONDS = 300;
const harness = useSweepHarness();
let ouId: string;
let accounts: Record<'shadowed' | 'offPath', string>;
let scheduler: SchedulerClient;
let settings: IntakeSettings;
const start = new Date('2026-12-07T02:13:07Z');
const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);

beforeEach(async () => {
  ({ ouId, accounts } = await harness.emulator.fixture.createSandboxOu(['shadowed', 'offPath'], [REGION]));
  scheduler = harness.clients.hub(SchedulerClient);
  settings = await intakeSettingsFor(scheduler, QUIET_SECONDS);
});

const config = () => parseSweepConfig({ targetOuIds: ouId, regions: REGION }, 'test', (key) => key);

function intake(event: unknown, now: Date) {
  return takeBreakingEvent(event, {
    config: config(),
    settings,
    scheduler,
    logger: new RecordingLogger(),
    now: () => now,
  });
}

async function sweepsDueAt(now: Date): Promise<SweepReport[]> {
  const handler = testHandler(config(), harness.clients);
  return runDueRepairs(scheduler, settings.scheduleGroupName, now, (input) => handler(input));
}

/** A clean-up's CreateRoute of 0.0.0.0/1 to an ENI in the main table, made in moto, and CloudTrail's event of it. */
async function shadowHalf(accountId: string, destinationCidrBlock: string) {
  const { fixture } = harness.emulator;
  const ec2 = await fixture.ec2(accountId, REGION);
  const [subnet] = await fixture.defaultSubnets(accountId, REGION);
  const { NetworkInterface } = await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnet?.SubnetId }));
  const routeTableId = await fixture.mainRouteTableId(accountId, REGION);
  const networkInterfaceId = NetworkInterface?.NetworkInterfaceId ?? '';
  await ec2.send(
    new CreateRouteCommand({
      RouteTableId: routeTableId,
      DestinationCidrBlock: destinationCidrBlock,
      NetworkInterfaceId: networkInterfaceId,
    }),
  );
  return {
    routeTableId,
    event: cloudTrailEvent({
      accountId,
      region: REGION,
      eventName: 'CreateRoute',
      time: start,
      requestParameters: { routeTableId, destinationCidrBlock, networkInterfaceId },
    }),
  };
}

test('a CreateRoute that shadows 0.0.0.0/0 is reported after the quiet period as route-shadowed, naming who made it; nothing is written', async () => {
  const { routeTableId, event } = await shadowHalf(accounts.shadowed, '0.0.0.0/1');
  await expect(intake(event, at(1))).resolves.toMatchObject({ action: 'scheduled' });
  expect(await sweepsDueAt(at(QUIET_SECONDS))).toEqual([]);

  const [report] = (await sweepsDueAt(at(QUIET_SECONDS + 2))) as [SweepReport];
  const row = rowOf(report, accounts.shadowed, REGION);
  expect(row).toMatchObject({
    status: 'ok',
    reach: { status: 'route-shadowed', findings: [{ kind: 'shadow', routeTableId, destination: '0.0.0.0/1' }] },
    cause: {
      eventName: 'CreateRoute',
      principalArn: `arn:aws:sts::${accounts.shadowed}:assumed-role/ci-cleanup/nuke`,
      touched: { routeTableId, destinationCidrBlock: '0.0.0.0/1' },
    },
  });
  expect(harness.writesOnTheWire()).toEqual([]);
  // The event digest says what the path lacks and who made it so.
  const digest = renderDigest(report, 'event');
  expect(digest?.message).toContain('0.0.0.0/1 →');
  expect(digest?.message).toContain(
    `a route more specific than 0.0.0.0/0 added by arn:aws:sts::${accounts.shadowed}:assumed-role/ci-cleanup/nuke (aws-nuke/3.56.2) at 2026-12-07 02:13:07 UTC`,
  );
  expect(await pendingRepairs(scheduler, settings.scheduleGroupName)).toEqual([]);
});

test('a default subnet associated with a private table is reported as subnet-off-path, naming who associated it', async () => {
  const { fixture } = harness.emulator;
  const subnetId = await fixture.defaultSubnetId(accounts.offPath, REGION, 'eu-west-1b');
  const routeTableId = await fixture.associateWithPrivateTable(accounts.offPath, REGION, 'eu-west-1b');
  const event = cloudTrailEvent({
    accountId: accounts.offPath,
    region: REGION,
    eventName: 'AssociateRouteTable',
    time: start,
    requestParameters: { routeTableId, subnetId },
  });
  await expect(intake(event, at(1))).resolves.toMatchObject({ action: 'scheduled' });
  const [report] = (await sweepsDueAt(at(QUIET_SECONDS + 2))) as [SweepReport];
  expect(rowOf(report, accounts.offPath, REGION)).toMatchObject({
    status: 'ok',
    reach: { status: 'subnet-off-path', findings: [{ kind: 'off-path', subnetId, routeTableId }] },
    cause: { eventName: 'AssociateRouteTable', touched: { routeTableId, subnetId } },
  });
  expect(harness.writesOnTheWire()).toEqual([]);
});

test("the account's own ModifyVpcBlockPublicAccessOptions is named for bpa-blocked; with a declarative policy managing it, no member's call is", async () => {
  const { proxy } = harness.emulator;
  const modify = (accountId: string) =>
    cloudTrailEvent({
      accountId,
      region: REGION,
      eventName: 'ModifyVpcBlockPublicAccessOptions',
      time: start,
      // CloudTrail's record of the newer EC2 calls wraps its parameters; nothing here is read from them.
      requestParameters: {
        ModifyVpcBlockPublicAccessOptionsRequest: { InternetGatewayBlockMode: 'block-bidirectional' },
      },
    });
  emulateBlockPublicAccess(proxy, {
    accountId: accounts.shadowed,
    region: REGION,
    mode: 'block-bidirectional',
    managedBy: 'account',
    exclusionsAllowed: 'allowed',
  });
  emulateBlockPublicAccess(proxy, {
    accountId: accounts.offPath,
    region: REGION,
    mode: 'block-ingress',
    managedBy: 'declarative-policy',
    exclusionsAllowed: 'not-allowed',
  });
  for (const accountId of [accounts.shadowed, accounts.offPath]) {
    await expect(intake(modify(accountId), at(1))).resolves.toMatchObject({ action: 'scheduled' });
  }
  const reports = await sweepsDueAt(at(QUIET_SECONDS + 2));
  const rowIn = (accountId: string) =>
    reports.flatMap((report) => report.results).find((row) => row.accountId === accountId);
  expect(rowIn(accounts.shadowed)).toMatchObject({
    status: 'ok',
    reach: { status: 'bpa-blocked' },
    cause: { eventName: 'ModifyVpcBlockPublicAccessOptions' },
  });
  expect(rowIn(accounts.offPath)).toMatchObject({ status: 'ok', reach: { status: 'bpa-blocked' }, cause: null });
  expect(harness.writesOnTheWire()).toEqual([]);
});

test("a carried call names only the finding it made: another table's association, or a CreateRoute of another destination, is no cause", async () => {
  const { fixture } = harness.emulator;
  const routeTableId = await fixture.associateWithPrivateTable(accounts.offPath, REGION, 'eu-west-1b');
  const otherSubnet = await fixture.defaultSubnetId(accounts.offPath, REGION, 'eu-west-1a');
  const elsewhere = cloudTrailEvent({
    accountId: accounts.offPath,
    region: REGION,
    eventName: 'AssociateRouteTable',
    time: start,
    requestParameters: { routeTableId, subnetId: otherSubnet },
  });
  await expect(intake(elsewhere, at(1))).resolves.toMatchObject({ action: 'scheduled' });
  const { event } = await shadowHalf(accounts.shadowed, '0.0.0.0/1');
  const otherHalf = {
    ...event,
    detail: { ...(event['detail'] as object), requestParameters: { destinationCidrBlock: '128.0.0.0/1' } },
  };
  await expect(intake(otherHalf, at(1))).resolves.toMatchObject({ action: 'scheduled' });
  const reports = await sweepsDueAt(at(QUIET_SECONDS + 2));
  expect(reports).toHaveLength(2);
  for (const report of reports) {
    const [row] = report.results;
    expect(row?.reach?.status).toMatch(/^(subnet-off-path|route-shadowed)$/);
    expect(row?.cause).toBeNull();
  }
});

test('a CreateRoute of a private destination, or of 0.0.0.0/0 itself, starts nothing; with reach off no path call is heard', async () => {
  const { event } = await shadowHalf(accounts.shadowed, '10.10.0.0/16');
  await expect(intake(event, at(1))).resolves.toEqual({
    action: 'left-alone',
    reason: 'CreateRoute of 10.10.0.0/16 cannot shadow 0.0.0.0/0',
  });
  const routeTableId = await harness.emulator.fixture.mainRouteTableId(accounts.shadowed, REGION);
  const defaultRoute = cloudTrailEvent({
    accountId: accounts.shadowed,
    region: REGION,
    eventName: 'CreateRoute',
    time: start,
    requestParameters: { routeTableId, destinationCidrBlock: '0.0.0.0/0', gatewayId: 'igw-1' },
  });
  await expect(intake(defaultRoute, at(1))).resolves.toMatchObject({ action: 'left-alone' });
  const reachOff = parseSweepConfig({ targetOuIds: ouId, regions: REGION, reach: 'off' }, 'test', (key) => key);
  const bpa = cloudTrailEvent({
    accountId: accounts.shadowed,
    region: REGION,
    eventName: 'ModifyVpcBlockPublicAccessOptions',
    time: start,
  });
  await expect(
    takeBreakingEvent(bpa, { config: reachOff, settings, scheduler, logger: new RecordingLogger(), now: () => at(1) }),
  ).resolves.toEqual({
    action: 'left-alone',
    reason: 'ModifyVpcBlockPublicAccessOptions does not break what this configuration repairs',
  });
  expect(await pendingRepairs(scheduler, settings.scheduleGroupName)).toEqual([]);
});
