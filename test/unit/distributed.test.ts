import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { AwsClients } from '../../lambda/aws/clients';
import type { RunStore } from '../../lambda/aws/run-store';
import { parseSweepConfig } from '../../lambda/config/parse';
import { createDistributedHandler } from '../../lambda/distributed/handler-factory';
import { shareOut } from '../../lambda/distributed/phases';
import { distributedSettingsFromEnvironment } from '../../lambda/distributed/settings';
import { ConfigError, EventValidationError } from '../../lambda/errors';

/** The distributed sweep's pure parts: the cap's shares, its settings, and what its steps accept. */

describe('the repair cap split across batches', () => {
  test.each([
    [50, [100, 100, 100, 100], [13, 13, 12, 12]],
    [50, [100, 100, 37], [21, 21, 8]],
    [2, [3, 3, 1], [1, 1, 0]],
    [0, [100, 100], [0, 0]],
    [7, [], []],
    [100_000, [10, 5], [66_667, 33_333]],
  ])('cap %d over batches of %j accounts: %j', (cap, sizes, expected) => {
    const shares = shareOut(cap, sizes);
    expect(shares).toEqual(expected);
    if (sizes.length > 0) expect(shares.reduce((sum, share) => sum + share, 0)).toBe(cap);
  });

  test('never more than the cap in all, whatever the sizes', () => {
    for (let cap = 0; cap < 60; cap += 7) {
      for (let batches = 1; batches < 30; batches += 4) {
        const sizes = Array.from({ length: batches }, (_, index) => 1 + ((index * 37) % 100));
        expect(shareOut(cap, sizes).reduce((sum, share) => sum + share, 0)).toBe(cap);
      }
    }
  });
});

test('its settings come from its environment; a bad one is named', () => {
  expect(distributedSettingsFromEnvironment({ JANITOR_RUN_BUCKET: 'janitor-runs' })).toEqual({
    bucket: 'janitor-runs',
    batchSize: 100,
  });
  expect(() =>
    distributedSettingsFromEnvironment({ JANITOR_RUN_BUCKET: 'Janitor_Runs', JANITOR_BATCH_SIZE: '0' }),
  ).toThrow(
    new ConfigError('invalid Lambda environment', [
      { field: 'JANITOR_RUN_BUCKET', value: 'Janitor_Runs', message: 'must be an S3 bucket name' },
      { field: 'JANITOR_BATCH_SIZE', value: 0, message: 'must be a whole number from 1 to 1000' },
    ]),
  );
});

test('a step payload it does not know is refused before any AWS call, naming the field', async () => {
  const calls: string[] = [];
  const store: RunStore = {
    bucket: 'janitor-runs',
    put: (key) => Promise.resolve(void calls.push(`put ${key}`)),
    putStreamed: (key) => Promise.resolve(void calls.push(`put ${key}`)),
    get: (key) => Promise.resolve(void calls.push(`get ${key}`)),
  };
  const handler = createDistributedHandler({
    config: parseSweepConfig({ targetOuIds: 'ou-ab12-cdef3456' }, 'test', (key) => key),
    settings: { batchSize: 100 },
    clients: {} as AwsClients,
    store,
    logger: new Logger({ logLevel: 'SILENT' }),
    metrics: new Metrics({ namespace: 'test' }),
  });
  await expect(handler({ phase: 'sweep' })).rejects.toThrow(EventValidationError);
  await expect(
    handler({
      phase: 'batch',
      item: { runId: 'r', index: 0, accounts: [{ id: '12', name: 'x' }], maxRepairs: 1, mode: 'remediate' },
    }),
  ).rejects.toThrow(/item/);
  await expect(handler({ phase: 'merge', runId: 'no spaces allowed' })).rejects.toThrow(/runId/);
  expect(calls).toEqual([]);
});
