import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { parseSweepConfig } from '../../lambda/config/parse';
import type { IntakeSettings } from '../../lambda/events/intake';
import { takeBreakingEventBatch, type QueuedBreakingCall } from '../../lambda/events/intake-batch';
import { MAX_REFUSED_CALLS, targetedRepairEventSchema } from '../../lambda/events/targeted-repair';
import { cloudTrailEvent, intakeSettingsFor, pendingRepairs } from '../support/event-path';
import { RecordingLogger } from '../support/recording-logger';
import { useSweepHarness } from '../support/sweep-harness';

/**
 * The intake's batches against moto's Scheduler: the calls the queue hands over are folded by
 * account-region, one Scheduler write each, so a flood from one account costs one schedule per
 * region it called in; what Scheduler refuses is handed back to the queue, and nothing else.
 */

const REGION = 'eu-west-1';
const OTHER_REGION = 'us-east-1';
const FLOODED = '111122223333';
const QUIET = '444455556666';
const OU = 'ou-ab12-cdef3456';
const harness = useSweepHarness();
let scheduler: SchedulerClient;
let settings: IntakeSettings;
let logger: RecordingLogger;
const start = new Date('2026-11-26T02:13:07Z');

beforeEach(async () => {
  scheduler = harness.clients.hub(SchedulerClient);
  settings = await intakeSettingsFor(scheduler, 300);
  logger = new RecordingLogger();
  harness.emulator.proxy.clear();
});

const config = (raw: Record<string, unknown> = {}) =>
  parseSweepConfig({ targetOuIds: OU, regions: [REGION, OTHER_REGION], ...raw }, 'test', (key) => key);

let sequence = 0;
function message(event: unknown): QueuedBreakingCall {
  sequence += 1;
  return { messageId: `message-${sequence}`, body: JSON.stringify(event) };
}

const refusedDelete = (accountId: string, region: string, second: number) =>
  cloudTrailEvent({
    accountId,
    region,
    eventName: 'DeleteRoute',
    time: new Date(start.getTime() + second * 1000),
    roleName: 'no-permissions',
    errorCode: 'Client.UnauthorizedOperation',
    errorMessage: `You are not authorized to perform this operation. Encoded authorization failure message: AbCd${second}`,
    requestParameters: { routeTableId: 'rtb-1', destinationCidrBlock: '0.0.0.0/0' },
  });

const deleted = (accountId: string, region: string, second: number) =>
  cloudTrailEvent({
    accountId,
    region,
    eventName: 'DeleteRoute',
    time: new Date(start.getTime() + second * 1000),
    requestParameters: { routeTableId: 'rtb-1', destinationCidrBlock: '0.0.0.0/0' },
  });

/** Scheduler's REST calls by method (POST: CreateSchedule, PUT: UpdateSchedule, GET: GetSchedule). */
const schedulerCalls = (method: 'POST' | 'PUT' | 'GET') =>
  harness.emulator.proxy.requests.filter(
    (request) => request.service === 'scheduler' && request.action.startsWith(`${method} /schedules/`),
  ).length;
const writes = () => schedulerCalls('POST') + schedulerCalls('PUT');

test('a flood from one account under enforce costs one schedule per region it called in; another account is not kept waiting', async () => {
  const flood = Array.from({ length: 98 }, (_, index) =>
    message(refusedDelete(FLOODED, index % 2 === 0 ? REGION : OTHER_REGION, index)),
  );
  const batch = [
    ...flood.slice(0, 49),
    message(deleted(QUIET, REGION, 1)),
    ...flood.slice(49),
    { messageId: 'not-json', body: '{' },
  ];
  const response = await takeBreakingEventBatch(batch, {
    config: config({ protectDefaultPath: 'enforce' }),
    settings,
    scheduler,
    logger,
    now: () => start,
  });
  expect(response.batchItemFailures).toEqual([]);
  // Three account-regions, three Scheduler writes, for a hundred calls.
  expect(writes()).toBe(3);
  const pending = await pendingRepairs(scheduler, settings.scheduleGroupName);
  expect(pending.map(({ name }) => name).sort()).toEqual(
    [`repair-${FLOODED}-${OTHER_REGION}`, `repair-${FLOODED}-${REGION}`, `repair-${QUIET}-${REGION}`].sort(),
  );
  const inputOf = (name: string) =>
    targetedRepairEventSchema.parse(pending.find((repair) => repair.name === name)?.input).detail;
  // The flood is named by its latest refused calls, and is no cause.
  const flooded = inputOf(`repair-${FLOODED}-${REGION}`);
  expect(flooded.cause).toBeUndefined();
  expect(flooded.refused?.map(({ eventTime }) => eventTime)).toEqual(
    [88, 90, 92, 94, 96].map((second) => new Date(start.getTime() + second * 1000).toISOString()),
  );
  expect(flooded.refused).toHaveLength(MAX_REFUSED_CALLS);
  expect(inputOf(`repair-${QUIET}-${REGION}`).cause).toMatchObject({ eventName: 'DeleteRoute' });
  // A message that is no event is left alone, with a line saying so, and is not delivered again.
  expect(logger.entries).toContainEqual({
    level: 'warn',
    message: 'breaking call left alone',
    attributes: { reason: 'the message is not JSON' },
  });

  // The next batch of the same flood moves the two schedules: two writes more, none added.
  harness.emulator.proxy.clear();
  await takeBreakingEventBatch(
    Array.from({ length: 20 }, (_, index) =>
      message(refusedDelete(FLOODED, index % 2 === 0 ? REGION : OTHER_REGION, 100 + index)),
    ),
    { config: config({ protectDefaultPath: 'enforce' }), settings, scheduler, logger, now: () => start },
  );
  // Each a create refused (the schedule is there), a read and an update.
  expect([schedulerCalls('POST'), schedulerCalls('GET'), schedulerCalls('PUT')]).toEqual([2, 2, 2]);
  expect(await pendingRepairs(scheduler, settings.scheduleGroupName)).toHaveLength(3);
});

test('a region outside the targets, or an excluded account, costs no Scheduler call at all', async () => {
  const response = await takeBreakingEventBatch(
    [
      message(deleted(FLOODED, 'ap-southeast-2', 1)),
      message(deleted(FLOODED, 'ap-southeast-2', 2)),
      message(deleted(QUIET, REGION, 3)),
    ],
    { config: config({ excludeAccountIds: QUIET }), settings, scheduler, logger, now: () => start },
  );
  expect(response).toEqual({ batchItemFailures: [], outcomes: expect.any(Array) as unknown });
  expect(response.outcomes.map((outcome) => outcome.action)).toEqual(['left-alone', 'left-alone', 'left-alone']);
  expect(harness.emulator.proxy.requests.filter((request) => request.service === 'scheduler')).toEqual([]);
});

test("what Scheduler refuses goes back to the queue, that account-region's messages only", async () => {
  harness.emulator.proxy.inject({
    match: { service: 'scheduler' },
    // Its create (the description names the account-region); a read or an update would follow a conflict.
    when: (request) => request.body.includes(`repair ${FLOODED} ${OTHER_REGION}`),
    code: 'ValidationException',
    status: 400,
  });
  const batch = [
    message(deleted(FLOODED, OTHER_REGION, 1)),
    message(deleted(QUIET, OTHER_REGION, 2)),
    message(deleted(FLOODED, OTHER_REGION, 3)),
  ];
  const response = await takeBreakingEventBatch(batch, {
    config: config(),
    settings,
    scheduler,
    logger,
    now: () => start,
  });
  expect(response.batchItemFailures).toEqual([
    { itemIdentifier: batch[0]?.messageId },
    { itemIdentifier: batch[2]?.messageId },
  ]);
  expect(logger.entries).toContainEqual(
    expect.objectContaining({ level: 'error', message: 'quiet period not started: the calls will be delivered again' }),
  );
  expect((await pendingRepairs(scheduler, settings.scheduleGroupName)).map(({ name }) => name)).toContain(
    `repair-${QUIET}-${OTHER_REGION}`,
  );
});
