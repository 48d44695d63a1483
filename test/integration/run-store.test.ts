import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createAwsClients, type AwsClients } from '../../lambda/aws/clients';
import { s3RunStore } from '../../lambda/aws/run-store';
import { freshEmulator, type Emulator } from '../support/emulator';
import { largeReport, worstNight } from '../support/large-report';
import { result, report } from '../support/results';

/**
 * The run store against moto: the merged report, streamed a slice of rows at a time, is the very
 * object a single PutObject of JSON.stringify wrote before, byte for byte.
 */

let emulator: Emulator;
let clients: AwsClients;
let s3: S3Client;
const BUCKET = 'janitor-runs';

beforeAll(async () => {
  emulator = await freshEmulator();
  clients = createAwsClients({ homeRegion: 'us-east-1' });
  s3 = clients.hub(S3Client);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

afterAll(async () => {
  clients.destroy();
  await emulator.close();
});

async function stored(key: string) {
  const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return { text: (await object.Body?.transformToString()) ?? '', contentType: object.ContentType };
}

test('a report streamed to the store is the same JSON, byte for byte, as the one written whole', async () => {
  // GIVEN a night of 1,200 accounts × 17 regions (many chunks of rows), its OUs, and a name with "→" and an emoji
  const typical = largeReport(1200);
  const sweep = {
    ...worstNight(typical),
    accountOus: typical.accountOus,
    ouNames: { 'ou-ab12-00000000': 'Sandboxes → CI 🧪' },
  };
  const store = s3RunStore(s3, BUCKET);
  // WHEN it is written whole and streamed
  await store.put('runs/r1/whole.json', sweep);
  await store.putStreamed('runs/r1/report.json', sweep, 'results');
  // THEN both objects hold the same bytes: JSON.stringify's
  const [whole, streamed] = await Promise.all([stored('runs/r1/whole.json'), stored('runs/r1/report.json')]);
  expect(streamed.text.length).toBe(JSON.stringify(sweep).length);
  expect(streamed.text === JSON.stringify(sweep)).toBe(true);
  expect(streamed.text === whole.text).toBe(true);
  expect(streamed.contentType).toBe('application/json');
  const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'runs/r1/report.json' }));
  expect(head.ContentLength).toBe(Buffer.byteLength(JSON.stringify(sweep)));
  expect(await store.get('runs/r1/report.json')).toEqual(JSON.parse(JSON.stringify(sweep)));
});

test('an empty report, and one of a single row, stream as JSON.stringify writes them', async () => {
  const store = s3RunStore(s3, BUCKET);
  for (const [name, sweep] of [
    ['empty', report([])],
    ['one', report([result('restored')])],
  ] as const) {
    await store.putStreamed(`runs/r2/${name}.json`, sweep, 'results');
    expect((await stored(`runs/r2/${name}.json`)).text).toBe(JSON.stringify(sweep));
  }
});
