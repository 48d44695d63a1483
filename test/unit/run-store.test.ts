import type { Readable } from 'node:stream';
import type { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { jsonChunks, s3RunStore } from '../../lambda/aws/run-store';

/** The merged report's JSON in pieces: they join to exactly what JSON.stringify writes. */

test.each([
  ['an empty list', { a: 1, results: [], b: 'x' }],
  ['a list the size of a chunk', { results: [1, 2, 3] }],
  ['a list past a chunk', { results: [{ a: 1 }, { b: '→ 🧪' }, null, 'x', [1], { c: { d: [2] } }, 7] }],
  ['properties JSON leaves out', { a: undefined, results: [undefined, 1], f: () => 1, c: null }],
  ['no list', { a: 1, b: [1, 2] }],
  ['a list key that is not an array', { results: 'none', z: 1 }],
  ['the list first and last', { results: [1, 2, 3, 4], after: { results: [5] } }],
])('%s', (_, value) => {
  for (const perChunk of [1, 3, 1000]) {
    expect([...jsonChunks(value, 'results', perChunk)].join('')).toBe(JSON.stringify(value));
  }
});

test('the list is written a slice at a time: no chunk holds more than its items', () => {
  const results = Array.from({ length: 2500 }, (_, index) => ({ index }));
  const chunks = [...jsonChunks({ mode: 'remediate', results }, 'results', 1000)];
  // {, "mode":…, "results":[, three slices of at most 1,000 items, ], }
  expect(chunks).toHaveLength(8);
  expect(chunks.map((chunk) => chunk.length).sort((a, b) => b - a)[0]).toBeLessThan(JSON.stringify(results).length / 2);
});

/** A stand-in S3 client: reads each PutObject's body to its end, and fails the first `failures` sends with `error`. */
function flakyClient(failures: number, error: object) {
  const bodies: string[] = [];
  const client = {
    send: async (command: PutObjectCommand) => {
      const chunks: string[] = [];
      for await (const chunk of command.input.Body as Readable) chunks.push(String(chunk));
      bodies.push(chunks.join(''));
      if (bodies.length <= failures) throw Object.assign(new Error('failed'), error);
      return {};
    },
  } as unknown as S3Client;
  return { client, bodies };
}

test('a streamed put is sent again, whole, after an error the SDK retries (it never retries a stream itself)', async () => {
  const value = { mode: 'remediate', results: Array.from({ length: 2500 }, (_, index) => ({ index })) };
  const { client, bodies } = flakyClient(1, { name: 'InternalError', $metadata: { httpStatusCode: 500 } });
  await s3RunStore(client, 'bucket').putStreamed('runs/r/report.json', value, 'results');
  expect(bodies).toEqual([JSON.stringify(value), JSON.stringify(value)]);
});

test('a streamed put refused for good is not sent again', async () => {
  const { client, bodies } = flakyClient(5, { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
  await expect(s3RunStore(client, 'bucket').putStreamed('k', { results: [1] }, 'results')).rejects.toMatchObject({
    name: 'AccessDenied',
  });
  expect(bodies).toHaveLength(1);
});

test('a streamed put gives up after three attempts', async () => {
  const { client, bodies } = flakyClient(5, { name: 'InternalError', $metadata: { httpStatusCode: 500 } });
  await expect(s3RunStore(client, 'bucket').putStreamed('k', { results: [1] }, 'results')).rejects.toMatchObject({
    name: 'InternalError',
  });
  expect(bodies).toHaveLength(3);
});
