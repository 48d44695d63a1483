import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * Where a distributed run keeps what its steps hand each other: the plan, the batches the
 * Distributed Map reads, each batch's rows, the merged report. JSON objects in one S3 bucket,
 * under `runs/<run id>/`.
 */

export interface RunStore {
  readonly bucket: string;
  put(key: string, value: unknown): Promise<void>;
  /** The object, or `undefined` when there is none (a batch that never finished). */
  get<T>(key: string): Promise<T | undefined>;
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
