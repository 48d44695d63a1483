import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { CreateTableCommand, DynamoDBClient, PutItemCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { DIGEST_LEDGER_KEY, DIGEST_LEDGER_TTL_ATTRIBUTE } from '../../lambda/contract/names';
import { parseSweepConfig } from '../../lambda/config/parse';
import type { Cause } from '../../lambda/core/who-broke-it';
import type { SweepReport } from '../../lambda/core/report';
import { targetedRepairEvent } from '../../lambda/events/targeted-repair';
import { createHandler } from '../../lambda/handler-factory';
import { captureJsonLines } from '../support/capture-output';
import { motoUrl } from '../support/emulator';
import { createSnsInbox, type SnsInbox } from '../support/sns-inbox';
import { rowOf, useSweepHarness } from '../support/sweep-harness';

/**
 * The event path's digests are bounded: at most one per account-region an hour, counted in the
 * stack's DynamoDB ledger (moto's), however often a route is broken and repaired. Every repair
 * still happens; the next digest that goes out says how many were held back.
 */

const REGION = 'eu-west-1';
const TABLE = 'janitor-digest-ledger';
const harness = useSweepHarness();
let accounts: Record<'flaky' | 'calm', string>;
let ouId: string;
let inbox: SnsInbox;
let clock: Date;
const start = new Date('2026-11-26T02:00:00Z');
const minutes = (count: number) => new Date(start.getTime() + count * 60_000);

beforeEach(async () => {
  ({ ouId, accounts } = await harness.emulator.fixture.createSandboxOu(['flaky', 'calm'], [REGION]));
  inbox = await createSnsInbox(motoUrl(), 'janitor');
  await harness.clients.hub(DynamoDBClient).send(
    new CreateTableCommand({
      TableName: TABLE,
      KeySchema: [{ AttributeName: DIGEST_LEDGER_KEY, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: DIGEST_LEDGER_KEY, AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await harness.clients.hub(DynamoDBClient).send(
    new UpdateTimeToLiveCommand({
      TableName: TABLE,
      TimeToLiveSpecification: { AttributeName: DIGEST_LEDGER_TTL_ATTRIBUTE, Enabled: true },
    }),
  );
});
afterEach(() => inbox.destroy());

function handlerWith(tableName: string) {
  return createHandler({
    config: parseSweepConfig({ targetOuIds: ouId, regions: REGION }, 'test', (key) => key),
    clients: harness.clients,
    logger: new Logger({ serviceName: 'account-janitor' }),
    metrics: new Metrics({ namespace: 'AccountJanitor', serviceName: 'account-janitor' }),
    notificationTopicArn: inbox.topicArn,
    digestLedger: { client: harness.clients.hub(DynamoDBClient), tableName },
    now: () => clock,
  });
}

/** A clean-up deletes the route at `time`; its quiet period ends and the targeted repair runs. */
async function breakAndRepair(accountId: string, time: Date, tableName = TABLE) {
  clock = time;
  await harness.emulator.fixture.deleteInternetRoute(accountId, REGION);
  const cause: Cause = {
    principalArn: `arn:aws:sts::${accountId}:assumed-role/ci-cleanup/nuke`,
    sessionIssuerArn: `arn:aws:iam::${accountId}:role/ci-cleanup`,
    eventName: 'DeleteRoute',
    eventTime: time.toISOString(),
    sourceIp: null,
    userAgent: null,
  };
  const run = await captureJsonLines(() => handlerWith(tableName)(targetedRepairEvent(accountId, REGION, cause)));
  return { report: run.value, lines: run.lines };
}

test('a route broken every 20 minutes is repaired every time, and mailed at most once an hour per account-region', async () => {
  const runs = [];
  for (const minute of [0, 20, 40]) runs.push(await breakAndRepair(accounts.flaky, minutes(minute)));
  // Another account-region has its own hour.
  runs.push(await breakAndRepair(accounts.calm, minutes(30)));
  runs.push(await breakAndRepair(accounts.flaky, minutes(61)));

  // Every repair happened.
  expect(runs.map(({ report }) => rowOf(report, report.results[0]!.accountId, REGION)?.status)).toEqual(
    Array(5).fill('restored'),
  );
  expect(harness.writesOnTheWire()).toEqual(Array(5).fill('CreateRoute'));
  // Three messages: the first of flaky, calm's, and flaky's after the hour, which counts the two held back.
  const messages = await inbox.messages();
  expect(messages.map((message) => message.Subject?.replace(/^account-janitor: \d{12}\//, ''))).toEqual(
    // No cause here: the events of this test carry none and the run looks none up.
    Array(3).fill(`${REGION} restored`),
  );
  expect(messages.map((message) => message.Message.includes(accounts.flaky))).toEqual([true, false, true]);
  expect(messages[2]?.Message).toContain(
    '2 earlier event-driven digests of this account-region were held back (at most one an hour',
  );
  expect(messages[0]?.Message).not.toContain('held back');
  // The held-back runs say so in their logs.
  expect(runs[1]?.lines).toContainEqual(
    expect.objectContaining({
      message: 'event digest held back: one went out for this account-region within the hour',
      accountId: accounts.flaky,
      region: REGION,
      lastSentAt: minutes(0).toISOString(),
      heldBack: 1,
    }),
  );
  expect(runs[2]?.lines).toContainEqual(expect.objectContaining({ heldBack: 2 }));
  // Each targeted repair counts as an event-driven repair on the dashboard.
  expect(runs[0]?.lines).toContainEqual(
    expect.objectContaining({ EventRepairs: 1, _aws: expect.anything() as unknown }),
  );
});

test("a sentAt in the future is stale: it does not hold the account-region's digests back until then", async () => {
  await harness.clients.hub(DynamoDBClient).send(
    new PutItemCommand({
      TableName: TABLE,
      Item: {
        [DIGEST_LEDGER_KEY]: { S: `${accounts.flaky}/${REGION}` },
        sentAt: { N: String(Math.floor(minutes(60 * 24 * 365).getTime() / 1000)) },
        heldBack: { N: '0' },
      },
    }),
  );
  await breakAndRepair(accounts.flaky, minutes(0));
  expect(await inbox.messages()).toHaveLength(1);
});

test('a ledger that cannot be read does not silence the digest: it goes out, and the error is logged', async () => {
  const runs: { report: SweepReport; lines: Record<string, unknown>[] }[] = [];
  for (const minute of [0, 5]) runs.push(await breakAndRepair(accounts.flaky, minutes(minute), 'no-such-table'));
  expect(await inbox.messages()).toHaveLength(2);
  expect(runs[1]?.lines).toContainEqual(
    expect.objectContaining({
      level: 'ERROR',
      message: 'cannot read the digest ledger; sending the digest',
      errorCode: 'ResourceNotFoundException',
    }),
  );
});

test('the nightly digest is not bounded by the ledger', async () => {
  await breakAndRepair(accounts.flaky, minutes(0));
  await harness.emulator.fixture.deleteInternetRoute(accounts.flaky, REGION);
  clock = minutes(5);
  const { lines } = await captureJsonLines(() =>
    handlerWith(TABLE)({ source: 'aws.scheduler', 'detail-type': 'Scheduled Event' }),
  );
  // The schedule's run counts as a nightly repair, not an event-driven one.
  const emf = lines.find((line) => '_aws' in line);
  expect(emf).toMatchObject({ NightlyRepairs: 1 });
  expect(emf).not.toHaveProperty('EventRepairs');
  const messages = await inbox.messages();
  expect(messages.map((message) => message.Subject?.replace(/\d{12}/, '<account>'))).toEqual([
    `account-janitor: <account>/${REGION} restored`,
    'account-janitor: 1 repaired',
  ]);
});
