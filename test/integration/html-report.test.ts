import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createAwsClients, type AwsClients } from '../../lambda/aws/clients';
import { htmlReportKey } from '../../lambda/aws/html-report';
import { parseSweepConfig } from '../../lambda/config/parse';
import { createHandler, publishReport } from '../../lambda/handler-factory';
import { captureJsonLines } from '../support/capture-output';
import { chatNotificationSchema, structuredMessageSchema } from '../support/chat-notification-schema';
import { freshEmulator, motoUrl, type Emulator } from '../support/emulator';
import { createSnsInbox, type SnsInbox } from '../support/sns-inbox';

/** htmlReport against moto: the nightly run's page lands in the bucket, and the digest names it. */

let emulator: Emulator;
let inbox: SnsInbox;
let clients: AwsClients;
let s3: S3Client;
let ouId: string;
let broken: string;
const BUCKET = 'janitor-reports';

beforeAll(async () => {
  emulator = await freshEmulator();
  const { fixture } = emulator;
  const { rootId } = await fixture.createOrganization();
  ouId = await fixture.createOu(rootId, 'Sandboxes');
  broken = await fixture.createAccount('broken', ouId, rootId);
  const fine = await fixture.createAccount('fine', ouId, rootId);
  for (const accountId of [broken, fine]) await fixture.provisionDefaultNetwork(accountId, 'eu-west-1');
  await fixture.deleteInternetRoute(broken, 'eu-west-1');
  clients = createAwsClients({ homeRegion: 'us-east-1' });
  s3 = clients.hub(S3Client);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  inbox = await createSnsInbox(motoUrl(), 'janitor-html-digest');
});

afterAll(async () => {
  inbox.destroy();
  clients.destroy();
  await emulator.close();
});

const config = () => parseSweepConfig({ targetOuIds: ouId, regions: 'eu-west-1' }, 'test', (key) => key);

function handler(bucket: string) {
  return createHandler({
    config: config(),
    clients,
    logger: new Logger({ serviceName: 'account-janitor' }),
    metrics: new Metrics({ namespace: 'AccountJanitor', serviceName: 'account-janitor' }),
    notificationTopicArn: inbox.topicArn,
    htmlReports: { client: s3, bucket },
  });
}

const SCHEDULED = { version: '0', id: 'e1', 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} };

const pages = async () =>
  ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((object) => object.Key);

test("the nightly run writes its page to the bucket, grouped by the accounts' OU, and the digest names its S3 URI", async () => {
  const { value: report } = await captureJsonLines(() => handler(BUCKET)(SCHEDULED));
  const key = htmlReportKey(report);
  expect(key).toMatch(/^reports\/\d{4}\/\d{2}\/\d{2}\/\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z-remediate\.html$/);
  expect(await pages()).toEqual([key]);
  const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  expect(object.ContentType).toBe('text/html; charset=utf-8');
  const html = (await object.Body?.transformToString()) ?? '';
  expect(html).toMatch(/^<!doctype html>/);
  expect(html).toContain(`OU Sandboxes (${ouId}) (2 accounts)`);
  expect(html).toContain(`title="${broken} eu-west-1: restored`);
  const [digest] = await inbox.messages();
  expect(digest?.Subject).toBe('account-janitor: 1 repaired');
  expect(digest?.Message).toContain(`\nThe HTML report of this run: s3://${BUCKET}/${key}\n`);
  // On the wire: one message, a form per protocol; the chat channels' names the page too.
  const [publish] = emulator.proxy.requests.filter(
    (request) => request.service === 'sns' && request.action === 'Publish',
  );
  const form = new URLSearchParams(publish?.body);
  expect(form.get('MessageStructure')).toBe('json');
  const forms = structuredMessageSchema.parse(form.get('Message'));
  expect(forms['default']).toBe(digest?.Message);
  expect(Object.keys(forms)).toEqual(['default', 'https']);
  const chat = chatNotificationSchema.parse(JSON.parse(forms['https'] ?? ''));
  expect(chat.content.description).toContain(`HTML report: \`s3://${BUCKET}/${key}\``);
});

test('an event-driven run writes no page', async () => {
  const before = await pages();
  const { value: report } = await captureJsonLines(() => handler(BUCKET)({}));
  await captureJsonLines(() =>
    publishReport(report, 'event', {
      clients,
      logger: new Logger({ serviceName: 'account-janitor' }),
      metrics: new Metrics({ namespace: 'AccountJanitor', serviceName: 'account-janitor' }),
      htmlReports: { client: s3, bucket: BUCKET },
    }),
  );
  // The manual run above wrote one; the event's publication, none.
  expect(await pages()).toHaveLength(before.length + 1);
});

test('a page that cannot be written is logged, and the digest still goes out without it', async () => {
  await emulator.fixture.deleteInternetRoute(broken, 'eu-west-1');
  const before = (await inbox.messages()).length;
  const { lines } = await captureJsonLines(() => handler('no-such-bucket-here')(SCHEDULED));
  expect(lines).toContainEqual(
    expect.objectContaining({ level: 'ERROR', message: 'cannot write the HTML report', errorCode: 'NoSuchBucket' }),
  );
  const digests = (await inbox.messages()).slice(before);
  expect(digests).toHaveLength(1);
  expect(digests[0]?.Message).not.toContain('HTML report');
});

test("a run narrowed to one account knows that account's OU, and only that account's", async () => {
  const { value: report } = await captureJsonLines(() => handler(BUCKET)({ dryRun: true, accountIds: [broken] }));
  expect(report.accountOus).toEqual({ [broken]: ouId });
});
