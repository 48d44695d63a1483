import { MoveAccountCommand } from '@aws-sdk/client-organizations';
import { CreateScheduleGroupCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { parseSweepConfig } from '../../lambda/config/parse';
import type { SweepReport } from '../../lambda/core/report';
import type { RestoreTrigger } from '../../lambda/core/restore-triggers';
import { PROTECT_TAG_KEY } from '../../lambda/core/plan-protection';
import { takeRestoreTrigger, type RestoreSettings } from '../../lambda/events/restore-intake';
import { RESTORE_TRIGGERS } from '../../lambda/core/restore-triggers';
import { RESTORE_SCHEDULER_ACTIONS } from '../../lambda/contract/restore-names';
import { captureJsonLines } from '../support/capture-output';
import type { Emulator } from '../support/emulator';
import { pendingRepairs, runDueRepairs } from '../support/event-path';
import { RecordingLogger } from '../support/recording-logger';
import { cleanupSucceededEvent, controlTowerEvent, moveAccountEvent, restoreEvent } from '../support/restore-events';
import { rowOf, useSweepHarness } from '../support/sweep-harness';
import { testHandler } from '../support/test-handler';

/**
 * The restore triggers against moto: each trigger's event (written from its source, as it
 * reaches the hub's bus) goes through the real restore intake, which keeps the account's one-time
 * schedule in moto's Scheduler; when it is due (an injected clock) its input goes to the real sweep
 * function's handler, as Scheduler would hand it. The account was deleted down to nothing (no
 * default VPC, in either region): one targeted run restores it, every region, with the guard
 * rail's tags, and the digest names the trigger.
 */

const REGION = 'eu-west-1';
const OTHER_REGION = 'us-east-1';
const REGIONS = [REGION, OTHER_REGION];
const GROUP = 'AccountJanitor-repairs';
const ISB_ACCOUNT = '444455556666';
const harness = useSweepHarness();
let emulator: Emulator;
let rootId: string;
let ouId: string;
let otherOuId: string;
let managementAccountId: string;
let accounts: Record<'sandbox' | 'excluded' | 'closed', string>;
let scheduler: SchedulerClient;
let logger: RecordingLogger;
const start = new Date('2026-11-26T02:13:07Z');
const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);

const settings = (restoreOn: readonly RestoreTrigger[] = RESTORE_TRIGGERS): RestoreSettings => ({
  restoreOn,
  scheduleGroupName: GROUP,
  sweepFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:AccountJanitor-Sweep',
  schedulerRoleArn: 'arn:aws:iam::123456789012:role/AccountJanitor-SchedulerRole',
  deadLetterQueueArn: 'arn:aws:sqs:us-east-1:123456789012:AccountJanitor-DeadLetterQueue',
  innovationSandboxAccountId: ISB_ACCOUNT,
});

beforeEach(async () => {
  emulator = harness.emulator;
  const { fixture } = emulator;
  ({ rootId, ouId, accounts } = await fixture.createSandboxOu(['sandbox', 'excluded', 'closed'], REGIONS));
  otherOuId = await fixture.createOu(rootId, 'Workloads');
  ({ managementAccountId } = await fixture.describeOrganization());
  for (const region of REGIONS) await fixture.deleteDefaultVpc(accounts.sandbox, region);
  scheduler = harness.clients.hub(SchedulerClient);
  await scheduler.send(new CreateScheduleGroupCommand({ Name: GROUP }));
  logger = new RecordingLogger();
});

const configOf = (raw: Record<string, unknown> = {}) =>
  parseSweepConfig(
    {
      targetOuIds: ouId,
      regions: REGIONS,
      excludeAccountIds: accounts.excluded,
      recreateDefaultVpc: true,
      protectDefaultPath: 'audit',
      ...raw,
    },
    'test',
    (key) => key,
  );

function trigger(event: unknown, now: Date, restoreOn?: readonly RestoreTrigger[]) {
  return takeRestoreTrigger(event, {
    config: configOf(),
    settings: settings(restoreOn),
    scheduler,
    logger,
    managementAccountId: () => Promise.resolve(managementAccountId),
    now: () => now,
  });
}

/** Scheduler at `now`: every due schedule's input goes to the sweep function's handler. */
async function schedulerRunsAt(now: Date, topicArn?: string): Promise<SweepReport[]> {
  const handler = testHandler(configOf(), harness.clients, topicArn);
  // The handler's own log lines (Powertools JSON) are kept out of the test's output.
  const { value } = await captureJsonLines(() => runDueRepairs(scheduler, GROUP, now, (input) => handler(input)));
  return value;
}

const shapes: Record<RestoreTrigger, (accountId: string, time: Date) => unknown> = {
  'control-tower': (accountId, time) => controlTowerEvent({ managementAccountId, accountId, ouId, time }),
  'account-moved': (accountId, time) =>
    moveAccountEvent({ managementAccountId, accountId, sourceParentId: rootId, destinationParentId: ouId, time }),
  'innovation-sandbox': (accountId, time) => cleanupSucceededEvent({ isbAccountId: ISB_ACCOUNT, accountId, time }),
  event: (accountId, time) => restoreEvent({ senderAccountId: '777788889999', accountId, time }),
};

test.each(RESTORE_TRIGGERS)(
  '%s: an account deleted down to nothing is restored in every region by one targeted run, and the digest names the trigger',
  async (name) => {
    const { TopicArn: topicArn } = await harness.clients.sns().send(new CreateTopicCommand({ Name: 'janitor' }));
    expect(await trigger(shapes[name](accounts.sandbox, start), start)).toEqual({
      action: 'scheduled',
      trigger: name,
      accountId: accounts.sandbox,
      scheduleName: `restore-${accounts.sandbox}`,
    });
    // No quiet period: a minute, for the triggers of that minute to join it.
    expect(await schedulerRunsAt(at(59))).toEqual([]);
    const reports = await schedulerRunsAt(at(60), topicArn);

    expect(reports).toHaveLength(1);
    const report = reports[0] as SweepReport;
    for (const region of REGIONS) {
      const row = rowOf(report, accounts.sandbox, region);
      expect(row).toMatchObject({ status: 'vpc-recreated' });
      const gatewayId = await emulator.fixture.defaultVpcGatewayId(accounts.sandbox, region);
      expect(row?.internetGatewayId).toBe(gatewayId);
      expect(await emulator.fixture.internetRouteTarget(accounts.sandbox, region)).toBe(gatewayId);
    }
    // In each region: the default VPC, its gateway and route, the guard rail's tag; nothing else.
    const perRegion = [
      'CreateDefaultVpc',
      'CreateInternetGateway',
      'AttachInternetGateway',
      'CreateRoute',
      'CreateTags',
    ];
    expect([...harness.writesOnTheWire()].sort()).toEqual([...perRegion, ...perRegion].sort());
    // Only that account was entered.
    expect(new Set(report.results.map((row) => row.accountId))).toEqual(new Set([accounts.sandbox]));
    // The guard rail's tag on the restored path (protectDefaultPath=audit).
    const tagged = emulator.proxy.requests.filter((request) => request.action === 'CreateTags');
    expect(tagged.map((request) => request.params.get('Tag.1.Key'))).toContain(PROTECT_TAG_KEY);
    // One digest, naming the trigger.
    const published = emulator.proxy.requests.filter((request) => request.action === 'Publish');
    expect(published).toHaveLength(1);
    const body = decodeURIComponent(published[0]?.body ?? '').replace(/\+/g, ' ');
    expect(body).toContain(`restore (${name})`);
    expect(body).toContain(`restore run (trigger ${name}:`);
  },
);

test('one account’s triggers within the minute run once: Control Tower’s event, its move and a restore event', async () => {
  emulator.proxy.clear();
  expect((await trigger(shapes['control-tower'](accounts.sandbox, start), start)).action).toBe('scheduled');
  expect((await trigger(shapes['account-moved'](accounts.sandbox, at(20)), at(20))).action).toBe('joined');
  expect((await trigger(shapes.event(accounts.sandbox, at(50)), at(50))).action).toBe('joined');
  // Its calls on the wire are the ones its role is granted (one CreateSchedule a trigger), no more.
  const calls = emulator.proxy.requests.filter((request) => request.service === 'scheduler');
  // Scheduler's REST calls, as IAM names them: a POST of /schedules/<name> is CreateSchedule.
  expect(calls.map((request) => request.action)).toEqual(Array(3).fill(`POST /schedules/restore-${accounts.sandbox}`));
  expect(RESTORE_SCHEDULER_ACTIONS).toEqual(['scheduler:CreateSchedule']);
  const pending = await pendingRepairs(scheduler, GROUP);
  // Not moved by the later triggers: a stream of them cannot put the restore off.
  expect(pending.map((schedule) => [schedule.name, schedule.at.toISOString()])).toEqual([
    [`restore-${accounts.sandbox}`, at(60).toISOString()],
  ]);
  expect(pending[0]?.input).toMatchObject({ detail: { accountId: accounts.sandbox, trigger: 'control-tower' } });

  expect(await schedulerRunsAt(at(60))).toHaveLength(1);
  // After the run (Scheduler deleted the schedule), the next trigger restores again.
  expect((await trigger(shapes.event(accounts.sandbox, at(61)), at(61))).action).toBe('scheduled');
});

test('a restore event may name regions: only those are swept', async () => {
  const event = restoreEvent({
    senderAccountId: '777788889999',
    accountId: accounts.sandbox,
    regions: [REGION],
    time: start,
  });
  await trigger(event, start);
  const [report] = await schedulerRunsAt(at(60));
  expect(report?.results.map((row) => [row.accountId, row.region, row.status])).toEqual([
    [accounts.sandbox, REGION, 'vpc-recreated'],
  ]);
  await expect(emulator.fixture.defaultVpcId(accounts.sandbox, OTHER_REGION)).rejects.toThrow('no default VPC');
});

test('dropped with the reason, nothing scheduled: an account outside the targets, the management account, a trigger not switched on, a failed or forged event', async () => {
  const dropped = async (event: unknown, restoreOn?: readonly RestoreTrigger[]) => {
    const outcome = await trigger(event, start, restoreOn);
    expect(outcome.action).toBe('dropped');
    return 'reason' in outcome ? outcome.reason : '';
  };
  expect(await dropped(shapes.event(accounts.excluded, start))).toBe('account excluded by the configuration');
  expect(await dropped(shapes.event(managementAccountId, start))).toMatch(/^the management account/);
  expect(await dropped(shapes['innovation-sandbox'](accounts.sandbox, start), ['control-tower'])).toBe(
    'the innovation-sandbox trigger is not in restoreOn',
  );
  expect(
    await dropped(
      controlTowerEvent({ managementAccountId, accountId: accounts.sandbox, state: 'FAILED', time: start }),
    ),
  ).toBe('CreateManagedAccount did not succeed (FAILED)');
  expect(
    await dropped(
      moveAccountEvent({
        managementAccountId,
        accountId: accounts.sandbox,
        sourceParentId: rootId,
        destinationParentId: ouId,
        errorCode: 'AccessDenied',
        time: start,
      }),
    ),
  ).toMatch(/^invalid account-moved event: detail.errorCode must be absent/);
  // Organizations' and Control Tower's events come from the management account, never a member's bus.
  expect(
    await dropped(
      controlTowerEvent({ managementAccountId: accounts.excluded, accountId: accounts.sandbox, time: start }),
    ),
  ).toBe(`it came from ${accounts.excluded}, not the management account`);
  expect(
    await dropped(
      restoreEvent({
        senderAccountId: '777788889999',
        accountId: accounts.sandbox,
        regions: ['ap-south-1'],
        time: start,
      }),
    ),
  ).toBe('regions not configured: ap-south-1');
  expect(
    await dropped({
      ...(shapes.event(accounts.sandbox, start) as object),
      detail: { accountId: accounts.sandbox, roleArn: 'x' },
    }),
  ).toMatch(/^invalid event event: detail/);
  // Innovation Sandbox's clean-up events come from the account of its bus.
  expect(
    await dropped(cleanupSucceededEvent({ isbAccountId: '121212121212', accountId: accounts.sandbox, time: start })),
  ).toBe(`it came from 121212121212, not Innovation Sandbox's account ${ISB_ACCOUNT}`);
  expect(await pendingRepairs(scheduler, GROUP)).toEqual([]);
  expect(logger.entries.filter((entry) => entry.message === 'restore trigger dropped')).toHaveLength(9);
});

test('the sweep’s discovery has the last word: a move into an OU that is no target, and a closed account, are left alone at run time', async () => {
  await emulator.fixture.suspendAccount(accounts.closed);
  await trigger(
    moveAccountEvent({
      managementAccountId,
      accountId: accounts.sandbox,
      sourceParentId: ouId,
      destinationParentId: otherOuId,
      time: start,
    }),
    start,
  );
  await harness.clients
    .organizations()
    .send(
      new MoveAccountCommand({ AccountId: accounts.sandbox, SourceParentId: ouId, DestinationParentId: otherOuId }),
    );
  expect((await trigger(shapes.event(accounts.closed, start), start)).action).toBe('scheduled');
  expect((await pendingRepairs(scheduler, GROUP)).map((schedule) => schedule.name).sort()).toEqual(
    [`restore-${accounts.sandbox}`, `restore-${accounts.closed}`].sort(),
  );
  emulator.proxy.clear();
  const reports = await schedulerRunsAt(at(60));
  // The moved account is no target any more: not entered. The closed one: skipped, with the reason.
  expect(reports.flatMap((report) => report.results.map((row) => [row.accountId, row.status, row.message]))).toEqual([
    [accounts.closed, 'skipped', 'account is SUSPENDED, not ACTIVE'],
  ]);
  expect(harness.writesOnTheWire()).toEqual([]);
});
