import { CreateRouteCommand, DeleteRouteCommand, DescribeInternetGatewaysCommand } from '@aws-sdk/client-ec2';
import { DeleteScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { cloudTrailEvent, intakeSettingsFor, pendingRepairs, runDueRepairs } from '../support/event-path';
import { parseSweepConfig } from '../../lambda/config/parse';
import type { SweepReport } from '../../lambda/core/report';
import { INTAKE_SCHEDULER_ACTIONS } from '../../lambda/contract/permissions';
import { takeBreakingEvent, type IntakeSettings } from '../../lambda/events/intake';
import { renderDigest } from '../../lambda/report/digest';
import { captureJsonLines } from '../support/capture-output';
import { EMULATOR_CREDENTIALS } from '../support/organization-fixture';
import { motoUrl, type Emulator } from '../support/emulator';
import { RecordingLogger } from '../support/recording-logger';
import { rowOf, useSweepHarness } from '../support/sweep-harness';
import { testHandler } from '../support/test-handler';

/**
 * The event-driven repair against moto: breaking calls (CloudTrail's events, as forwarded to the
 * hub's bus) go through the real intake, which keeps one EventBridge Scheduler schedule per
 * account-region in moto; when a schedule is due (an injected clock), it hands its input to the
 * real sweep function's handler, as Scheduler would. Moto runs no schedule and has no CloudTrail:
 * those two parts are played by demo/event-path.ts.
 */

const REGION = 'eu-west-1';
const OTHER_REGION = 'us-east-1';
const QUIET_SECONDS = 300;
const harness = useSweepHarness();
let emulator: Emulator;
let rootId: string;
let ouId: string;
let accounts: Record<'broken' | 'other' | 'excluded', string>;
let scheduler: SchedulerClient;
let settings: IntakeSettings;
let logger: RecordingLogger;
const start = new Date('2026-11-26T02:13:07Z');
const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);

beforeEach(async () => {
  emulator = harness.emulator;
  ({ rootId, ouId, accounts } = await emulator.fixture.createSandboxOu(
    ['broken', 'other', 'excluded'],
    [REGION, OTHER_REGION],
  ));
  scheduler = harness.clients.hub(SchedulerClient);
  settings = await intakeSettingsFor(scheduler, QUIET_SECONDS);
  logger = new RecordingLogger();
});

const configOf = (raw: Record<string, unknown> = {}) =>
  parseSweepConfig(
    { targetOuIds: ouId, regions: [REGION, OTHER_REGION], excludeAccountIds: accounts.excluded, ...raw },
    'test',
    (key) => key,
  );

/** A clean-up's DeleteRoute of the default route, made in moto, and CloudTrail's event of it. */
async function deleteRoute(accountId: string, region: string, time: Date) {
  const routeTableId = await emulator.fixture.mainRouteTableId(accountId, region);
  await emulator.fixture.deleteInternetRoute(accountId, region);
  return cloudTrailEvent({
    accountId,
    region,
    eventName: 'DeleteRoute',
    time,
    requestParameters: { routeTableId, destinationCidrBlock: '0.0.0.0/0' },
  });
}

function intake(event: unknown, now: Date, raw: Record<string, unknown> = {}) {
  return takeBreakingEvent(event, { config: configOf(raw), settings, scheduler, logger, now: () => now });
}

/** Scheduler at `now`: every due repair runs through the sweep function's handler. */
function schedulerRunsAt(now: Date, raw: Record<string, unknown> = {}, topicArn?: string): Promise<SweepReport[]> {
  const handler = testHandler(configOf(raw), harness.clients, topicArn);
  return runDueRepairs(scheduler, settings.scheduleGroupName, now, (input) => handler(input));
}

test('a deleted route is back after the quiet period: one targeted sweep of that account-region, with who deleted it', async () => {
  const event = await deleteRoute(accounts.broken, REGION, start);
  await expect(intake(event, at(2))).resolves.toMatchObject({
    action: 'scheduled',
    scheduleName: `repair-${accounts.broken}-${REGION}`,
    at: at(2 + QUIET_SECONDS).toISOString(),
  });
  // Nothing runs while the account-region is within its quiet period.
  expect(await schedulerRunsAt(at(QUIET_SECONDS))).toEqual([]);
  expect(await emulator.fixture.internetRouteTarget(accounts.broken, REGION)).toBeNull();

  emulator.proxy.clear();
  const { value: reports, lines } = await captureJsonLines(() => schedulerRunsAt(at(QUIET_SECONDS + 2)));
  expect(reports).toHaveLength(1);
  // The repair's log line says who broke it.
  expect(lines).toContainEqual(
    expect.objectContaining({
      message: 'route repaired',
      accountId: accounts.broken,
      before: 'none',
      cause: expect.objectContaining({
        eventName: 'DeleteRoute',
        userAgent: expect.stringMatching(/^aws-nuke/),
      }) as unknown,
    }),
  );
  const [report] = reports as [SweepReport];
  // Exactly that account-region: no other account, no other region.
  expect(report.results.map((row) => [row.accountId, row.region])).toEqual([[accounts.broken, REGION]]);
  const row = rowOf(report, accounts.broken, REGION);
  expect(row).toMatchObject({
    status: 'restored',
    cause: {
      principalArn: `arn:aws:sts::${accounts.broken}:assumed-role/ci-cleanup/nuke`,
      sessionIssuerArn: `arn:aws:iam::${accounts.broken}:role/ci-cleanup`,
      eventName: 'DeleteRoute',
      eventTime: start.toISOString(),
      sourceIp: '198.51.100.7',
      userAgent: expect.stringMatching(/^aws-nuke\/3\.56\.2/) as unknown,
    },
  });
  expect(await emulator.fixture.internetRouteTarget(accounts.broken, REGION)).toMatch(/^igw-/);
  expect(harness.writesOnTheWire()).toEqual(['CreateRoute']);
  // The account is looked up (DescribeAccount, ListParents), not found by listing the organization.
  expect(emulator.proxy.count({ service: 'organizations', action: 'ListAccountsForParent' })).toBe(0);
  expect(emulator.proxy.count({ service: 'organizations', action: 'ListParents' })).toBeGreaterThan(0);
  // The cause was carried by the event: no CloudTrail lookup.
  expect(emulator.proxy.requests.filter((request) => request.service === 'cloudtrail')).toEqual([]);
  const digest = renderDigest(report, 'event');
  // The subject names the account-region, what became of it and the call that broke it.
  expect(digest?.subject).toBe(
    `account-janitor: ${accounts.broken}/${REGION} restored after DeleteRoute by assumed-role/ci-cleanup/nuke`,
  );
  expect(digest?.message).toContain(
    `0.0.0.0/0 deleted by arn:aws:sts::${accounts.broken}:assumed-role/ci-cleanup/nuke (aws-nuke/3.56.2) at 2026-11-26 02:13:07 UTC`,
  );
  // The schedule is gone once it has run.
  expect(await pendingRepairs(scheduler, settings.scheduleGroupName)).toEqual([]);
});

test("a carried cause goes on the row only when it concerns what the row found: another table's DeleteRoute is not this route's cause", async () => {
  // The main route goes without a trace on the wire the intake sees; another table's route is deleted meanwhile.
  await emulator.fixture.deleteInternetRoute(accounts.broken, REGION);
  const unrelated = cloudTrailEvent({
    accountId: accounts.broken,
    region: REGION,
    eventName: 'DeleteRoute',
    time: start,
    requestParameters: { routeTableId: 'rtb-0fixture0000000', destinationCidrBlock: '0.0.0.0/0' },
  });
  await expect(intake(unrelated, at(1))).resolves.toMatchObject({ action: 'scheduled' });
  const { value: reports } = await captureJsonLines(() =>
    schedulerRunsAt(at(QUIET_SECONDS + 2), { lookUpCauses: false }),
  );
  const row = rowOf((reports as [SweepReport])[0], accounts.broken, REGION);
  expect(row?.status).toBe('restored');
  expect(row?.cause ?? null).toBeNull();
});

test("a later, unrelated call does not replace the burst's cause: a stack's DeleteRoute in its own VPC after the clean-up's", async () => {
  const cleanup = await deleteRoute(accounts.broken, REGION, start);
  // A team's stack tears down its own VPC's route two minutes later, as equally direct a call.
  const ec2 = await emulator.fixture.ec2(accounts.broken, REGION);
  const own = await emulator.fixture.createNonDefaultVpc(accounts.broken, REGION);
  const { InternetGateways } = await ec2.send(
    new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [own.vpcId] }] }),
  );
  const route = { RouteTableId: own.routeTableId, DestinationCidrBlock: '0.0.0.0/0' };
  await ec2.send(new CreateRouteCommand({ ...route, GatewayId: InternetGateways?.[0]?.InternetGatewayId }));
  await ec2.send(new DeleteRouteCommand(route));
  const teardown = cloudTrailEvent({
    accountId: accounts.broken,
    region: REGION,
    eventName: 'DeleteRoute',
    time: at(120),
    roleName: 'team-stack',
    sessionName: 'teardown',
    requestParameters: { routeTableId: own.routeTableId, destinationCidrBlock: '0.0.0.0/0' },
  });
  await intake(cleanup, at(1));
  await intake(teardown, at(121));
  // No CloudTrail to fall back on: the row's cause is what the schedule carried.
  const [report] = (await schedulerRunsAt(at(121 + QUIET_SECONDS), { lookUpCauses: false })) as [SweepReport];
  expect(rowOf(report, accounts.broken, REGION)).toMatchObject({
    status: 'restored',
    cause: {
      principalArn: `arn:aws:sts::${accounts.broken}:assumed-role/ci-cleanup/nuke`,
      eventTime: start.toISOString(),
    },
  });
});

test("a responder's ::/0 after a clean-up's 0.0.0.0/0 in the same table: the schedule keeps the clean-up's, and the route is restored", async () => {
  const { fixture } = emulator;
  const ec2 = await fixture.ec2(accounts.broken, REGION);
  const routeTableId = await fixture.mainRouteTableId(accounts.broken, REGION);
  await fixture.addIpv6(accounts.broken, REGION);
  const gatewayId = await fixture.defaultVpcGatewayId(accounts.broken, REGION);
  const ipv6 = { RouteTableId: routeTableId, DestinationIpv6CidrBlock: '::/0' };
  await ec2.send(new CreateRouteCommand({ ...ipv6, GatewayId: gatewayId }));
  const cleanup = await deleteRoute(accounts.broken, REGION, start);
  await ec2.send(new DeleteRouteCommand(ipv6));
  const responder = cloudTrailEvent({
    accountId: accounts.broken,
    region: REGION,
    eventName: 'DeleteRoute',
    time: at(240),
    roleName: 'IncidentResponse',
    sessionName: 'alice',
    requestParameters: { routeTableId, destinationIpv6CidrBlock: '::/0' },
  });
  const raw = { respectPrincipals: `arn:aws:iam::${accounts.broken}:role/IncidentResponse*` };
  await intake(cleanup, at(1), raw);
  await intake(responder, at(241), raw);
  emulator.proxy.clear();
  const [report] = (await schedulerRunsAt(at(241 + QUIET_SECONDS), raw)) as [SweepReport];
  expect(rowOf(report, accounts.broken, REGION)).toMatchObject({
    status: 'restored',
    cause: { principalArn: `arn:aws:sts::${accounts.broken}:assumed-role/ci-cleanup/nuke` },
  });
  expect(await fixture.internetRouteTarget(accounts.broken, REGION)).toBe(gatewayId);
  // The carried cause sufficed: no CloudTrail lookup.
  expect(emulator.proxy.count({ service: 'cloudtrail' })).toBe(0);
});

test('the intake calls Scheduler only as its role allows; a schedule that ran between its calls is created anew', async () => {
  const event = await deleteRoute(accounts.broken, REGION, start);
  emulator.proxy.clear();
  await intake(event, at(1));
  await intake(event, at(2));
  const name = `repair-${accounts.broken}-${REGION}`;
  // Scheduler runs and deletes the schedule just as the third call reads it.
  emulator.proxy.inject({
    match: { service: 'scheduler', action: `GET /schedules/${name}` },
    times: 1,
    before: async () => {
      const direct = new SchedulerClient({
        endpoint: motoUrl(),
        region: 'us-east-1',
        credentials: EMULATOR_CREDENTIALS,
      });
      await direct.send(new DeleteScheduleCommand({ GroupName: settings.scheduleGroupName, Name: name }));
      direct.destroy();
    },
    code: 'ResourceNotFoundException',
    status: 404,
    message: `Schedule ${name} does not exist.`,
  });
  await expect(intake(event, at(3))).resolves.toMatchObject({ action: 'scheduled', moved: false });
  expect((await pendingRepairs(scheduler, settings.scheduleGroupName)).map((repair) => repair.at)).toEqual([
    at(3 + QUIET_SECONDS),
  ]);
  const calls = new Set(
    emulator.proxy.requests
      .filter((request) => request.service === 'scheduler')
      .map((request) => SCHEDULER_ACTIONS[request.action.split(' ')[0] ?? ''] ?? request.action),
  );
  expect([...calls].sort()).toEqual([...INTAKE_SCHEDULER_ACTIONS].sort());
});

/** Scheduler's REST calls on the wire, by HTTP method, as IAM names them. */
const SCHEDULER_ACTIONS: Record<string, string> = {
  POST: 'scheduler:CreateSchedule',
  GET: 'scheduler:GetSchedule',
  PUT: 'scheduler:UpdateSchedule',
};

test('a burst of 50 breaking calls in one account-region keeps moving one schedule: one sweep, after the last call', async () => {
  const first = await deleteRoute(accounts.broken, REGION, start);
  await intake(first, at(1));
  for (let index = 1; index < 50; index += 1) {
    const event = cloudTrailEvent({
      accountId: accounts.broken,
      region: REGION,
      eventName: index % 2 ? 'DeleteSubnet' : 'DeleteRouteTable',
      time: at(index * 4),
      requestParameters: { subnetId: `subnet-${index}` },
    });
    await intake(event, at(index * 4 + 1));
  }
  const pending = await pendingRepairs(scheduler, settings.scheduleGroupName);
  expect(pending.map((repair) => [repair.name, repair.at.toISOString()])).toEqual([
    [`repair-${accounts.broken}-${REGION}`, at(49 * 4 + 1 + QUIET_SECONDS).toISOString()],
  ]);
  // Five minutes after the first call the burst is still going on: nothing runs.
  expect(await schedulerRunsAt(at(QUIET_SECONDS + 1))).toEqual([]);
  const { TopicArn: topicArn } = await harness.clients.sns().send(new CreateTopicCommand({ Name: 'janitor' }));
  const reports = await schedulerRunsAt(at(49 * 4 + 1 + QUIET_SECONDS), {}, topicArn);
  expect(reports).toHaveLength(1);
  // One message for the whole burst.
  expect(emulator.proxy.count({ service: 'sns', action: 'Publish' })).toBe(1);
  expect(rowOf(reports[0] as SweepReport, accounts.broken, REGION)).toMatchObject({
    status: 'restored',
    // The burst's most direct call, not the subnet deletions after it.
    cause: { eventName: 'DeleteRoute', eventTime: start.toISOString() },
  });
  expect(harness.writesOnTheWire()).toEqual(['CreateRoute']);
});

test('a steady stream of breaking calls cannot postpone the repair past maxQuietPeriod (default 4 × the quiet period) after the first', async () => {
  const first = await deleteRoute(accounts.broken, REGION, start);
  const outcomes = [await intake(first, at(0))];
  // A test suite that deletes a subnet of its own every minute, for half an hour.
  for (let minute = 1; minute <= 30; minute += 1) {
    const call = cloudTrailEvent({
      accountId: accounts.broken,
      region: REGION,
      eventName: 'DeleteSubnet',
      time: at(minute * 60),
      requestParameters: { subnetId: `subnet-0suite${String(minute).padStart(10, '0')}` },
    });
    outcomes.push(await intake(call, at(minute * 60)));
  }
  const cap = at(4 * QUIET_SECONDS).toISOString();
  expect(outcomes[0]).toMatchObject({ action: 'scheduled', at: at(QUIET_SECONDS).toISOString(), moved: false });
  // Moved with every call until the cap, then held there however many calls follow.
  expect(outcomes[1]).toMatchObject({ at: at(60 + QUIET_SECONDS).toISOString(), moved: true });
  expect(outcomes.slice(15).map((outcome) => (outcome.action === 'scheduled' ? outcome.at : ''))).toEqual(
    outcomes.slice(15).map(() => cap),
  );
  // The repair runs at the cap, while the calls go on; the DeleteRoute of the route stays its cause.
  const { value: reports } = await captureJsonLines(() => schedulerRunsAt(at(4 * QUIET_SECONDS + 1)));
  const row = rowOf((reports as [SweepReport])[0], accounts.broken, REGION);
  expect(row).toMatchObject({
    status: 'restored',
    cause: { eventName: 'DeleteRoute', eventTime: start.toISOString() },
  });
});

test('breaking calls in two account-regions give two sweeps, each of its own account-region', async () => {
  await intake(await deleteRoute(accounts.broken, REGION, start), at(1));
  await intake(await deleteRoute(accounts.other, OTHER_REGION, at(10)), at(11));
  const reports = await schedulerRunsAt(at(11 + QUIET_SECONDS));
  expect(reports.map((report) => report.results.map((row) => `${row.accountId} ${row.region} ${row.status}`))).toEqual(
    expect.arrayContaining([[`${accounts.broken} ${REGION} restored`], [`${accounts.other} ${OTHER_REGION} restored`]]),
  );
  expect(reports).toHaveLength(2);
  expect(harness.writesOnTheWire()).toEqual(['CreateRoute', 'CreateRoute']);
});

test('an excluded account, a region not configured, a failed call and the janitor’s own call start nothing', async () => {
  const outcomes = [
    await intake(await deleteRoute(accounts.excluded, REGION, start), at(1)),
    await intake(await deleteRoute(accounts.broken, REGION, start), at(1), { regions: OTHER_REGION }),
    await intake(
      cloudTrailEvent({
        accountId: accounts.other,
        region: REGION,
        eventName: 'DeleteRoute',
        time: start,
        errorCode: 'Client.UnauthorizedOperation',
      }),
      at(1),
    ),
    await intake(
      cloudTrailEvent({
        accountId: accounts.other,
        region: REGION,
        eventName: 'ReplaceRoute',
        time: start,
        roleName: 'AccountJanitorMemberRole',
        sessionName: 'account-janitor',
      }),
      at(1),
    ),
  ];
  expect(outcomes).toEqual([
    { action: 'left-alone', reason: 'account excluded by the configuration' },
    { action: 'left-alone', reason: 'region not configured' },
    { action: 'left-alone', reason: 'the call failed (Client.UnauthorizedOperation)' },
    { action: 'left-alone', reason: "the janitor's own call" },
  ]);
  expect(logger.entries.filter((entry) => entry.message === 'breaking call left alone')).toHaveLength(4);
  expect(await pendingRepairs(scheduler, settings.scheduleGroupName)).toEqual([]);
  expect(await schedulerRunsAt(at(QUIET_SECONDS * 2))).toEqual([]);
  expect(harness.writesOnTheWire()).toEqual([]);
});

test('an account the discovery finds outside the targets is left alone by the sweep, with a log line', async () => {
  // The intake cannot see OU membership: it starts the quiet period; the sweep's discovery says no.
  const outsider = await emulator.fixture.createAccount('outsider', rootId, rootId);
  await emulator.fixture.provisionDefaultNetwork(outsider, REGION);
  await intake(await deleteRoute(outsider, REGION, start), at(1));
  const { value: reports, lines } = await captureJsonLines(() => schedulerRunsAt(at(1 + QUIET_SECONDS)));
  expect(lines).toContainEqual(
    expect.objectContaining({ level: 'INFO', message: 'left alone: not a target', accountIds: [outsider] }),
  );
  expect(reports).toHaveLength(1);
  expect(reports[0]?.results).toEqual([]);
  expect(harness.writesOnTheWire()).toEqual([]);
  expect(await emulator.fixture.internetRouteTarget(outsider, REGION)).toBeNull();
});

test('in report mode (a dry run) the targeted sweep writes nothing and says what it would do', async () => {
  await intake(await deleteRoute(accounts.broken, REGION, start), at(1), { mode: 'report' });
  const [report] = await schedulerRunsAt(at(1 + QUIET_SECONDS), { mode: 'report' });
  expect(rowOf(report as SweepReport, accounts.broken, REGION)).toMatchObject({
    status: 'would-restore',
    cause: { eventName: 'DeleteRoute' },
  });
  expect(harness.writesOnTheWire()).toEqual([]);
  expect(await emulator.fixture.internetRouteTarget(accounts.broken, REGION)).toBeNull();
});

test('with repairEgress, a stripped default security group is back after the quiet period, with who revoked it; without, the call is not heard', async () => {
  const groupId = await emulator.fixture.stripDefaultSecurityGroup(accounts.broken, REGION);
  const event = cloudTrailEvent({
    accountId: accounts.broken,
    region: REGION,
    eventName: 'RevokeSecurityGroupEgress',
    time: start,
    requestParameters: { groupId },
  });
  await expect(intake(event, at(1))).resolves.toMatchObject({ action: 'left-alone' });
  expect(await pendingRepairs(scheduler, settings.scheduleGroupName)).toEqual([]);

  await expect(intake(event, at(2), { repairEgress: true })).resolves.toMatchObject({ action: 'scheduled' });
  const [report] = (await schedulerRunsAt(at(QUIET_SECONDS + 2), { repairEgress: true })) as [SweepReport];
  expect(rowOf(report, accounts.broken, REGION)).toMatchObject({
    status: 'ok',
    egress: { status: 'egress-restored', repaired: [`${groupId} egress all traffic to 0.0.0.0/0`] },
    cause: { eventName: 'RevokeSecurityGroupEgress', eventTime: start.toISOString() },
  });
  expect((await emulator.fixture.defaultEgress(accounts.broken, REGION)).group.IpPermissionsEgress).toEqual([
    expect.objectContaining({ IpProtocol: '-1', IpRanges: [expect.objectContaining({ CidrIp: '0.0.0.0/0' })] }),
  ]);
  expect(renderDigest(report, 'event')?.message).toContain(
    `egress-restored: egress: put back ${groupId} egress all traffic to 0.0.0.0/0; default security group egress revoked by arn:aws:sts::${accounts.broken}:assumed-role/ci-cleanup/nuke`,
  );
});
