import { Readable } from 'node:stream';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isServerError, isThrottlingError, isTransientError, StandardRetryStrategy } from '@smithy/core/retry';
import type { SdkError } from '@smithy/types';

/**
 * Where a distributed run keeps what its steps hand each other: the plan, the batches the
 * Distributed Map reads, each batch's rows, the merged report. JSON objects in one S3 bucket,
 * under `runs/<run id>/`.
 */

export interface RunStore {
  readonly bucket: string;
  put(key: string, value: unknown): Promise<void>;
  /**
   * The same object as `put` writes, byte for byte, but never held as one string: the JSON is
   * made and sent a slice of `listKey`'s items at a time. For the merged report, whose rows are
   * 56 MB of JSON at 10,000 accounts × 17 regions (a 111 MB string in V8's two bytes a character).
   */
  putStreamed<T extends object>(key: string, value: T, listKey: keyof T & string): Promise<void>;
  /** The object, or `undefined` when there is none (a batch that never finished). */
  get<T>(key: string): Promise<T | undefined>;
}

/** Items of the list in one chunk of the stream: about 350 KB of report rows. */
const ITEMS_PER_CHUNK = 1000;

/**
 * `JSON.stringify(value)` in pieces that join to exactly it: each property as JSON.stringify writes
 * it, but `listKey`'s array a slice of items at a time. Only a plain object's own enumerable
 * properties (a property JSON leaves out, `undefined`, a function or a symbol, is left out here too).
 */
export function* jsonChunks(value: object, listKey: string, itemsPerChunk = ITEMS_PER_CHUNK): Generator<string> {
  let first = true;
  yield '{';
  for (const [key, property] of Object.entries(value)) {
    const json: unknown = key === listKey && Array.isArray(property) ? property : JSON.stringify(property);
    if (json === undefined) continue;
    const head = `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    if (typeof json === 'string') {
      yield `${head}${json}`;
      continue;
    }
    const items = json as readonly unknown[];
    yield `${head}[`;
    for (let start = 0; start < items.length; start += itemsPerChunk) {
      const slice = items.slice(start, start + itemsPerChunk).map((item) => JSON.stringify(item) ?? 'null');
      yield `${start > 0 ? ',' : ''}${slice.join(',')}`;
    }
    yield ']';
  }
  yield '}';
}

/** Attempts of a streamed PutObject, the first included: the SDK's default. */
const STREAMED_PUT_ATTEMPTS = 3;

/**
 * Sends a request whose body is a stream, retried as the SDK retries others: the SDK never retries
 * a streaming body (it cannot read it again), so a 503 SlowDown or a reset connection would fail
 * the merge. Each attempt makes its request, and its stream, anew; the SDK's own classification
 * and standard strategy (backoff, retry budget) decide whether and when.
 */
export async function sendRetried<T>(send: () => Promise<T>, maxAttempts = STREAMED_PUT_ATTEMPTS): Promise<T> {
  const strategy = new StandardRetryStrategy(maxAttempts);
  let token = await strategy.acquireInitialRetryToken('');
  for (;;) {
    try {
      const output = await send();
      strategy.recordSuccess(token);
      return output;
    } catch (error) {
      const sdkError = error as SdkError;
      const errorType = isThrottlingError(sdkError)
        ? 'THROTTLING'
        : isTransientError(sdkError)
          ? 'TRANSIENT'
          : isServerError(sdkError)
            ? 'SERVER_ERROR'
            : 'CLIENT_ERROR';
      try {
        token = await strategy.refreshRetryTokenForRetry(token, { errorType });
      } catch {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, token.getRetryDelay()));
    }
  }
}

export function s3RunStore(client: S3Client, bucket: string): RunStore {
  return {
    bucket,
    async put(key, value) {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: JSON.stringify(value),
          ContentType: 'application/json',
        }),
      );
    },
    async putStreamed(key, value, listKey) {
      // One PutObject (s3:PutObject, as `put`): its length first, from a first pass over the chunks.
      let length = 0;
      for (const chunk of jsonChunks(value, listKey)) length += Buffer.byteLength(chunk);
      await sendRetried(() =>
        client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: Readable.from(jsonChunks(value, listKey)),
            ContentLength: length,
            ContentType: 'application/json',
          }),
        ),
      );
    },
    async get<T>(key: string) {
      try {
        const { Body: body } = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const text = await body?.transformToString();
        return text === undefined ? undefined : (JSON.parse(text) as T);
      } catch (error) {
        if (error instanceof NoSuchKey) return undefined;
        throw error;
      }
    },
  };
}
