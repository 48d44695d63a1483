import { DescribeOrganizationCommand, TooManyRequestsException } from '@aws-sdk/client-organizations';
import { createAwsClients } from '../../lambda/aws/clients';
import { ORGANIZATIONS_CONCURRENCY } from '../../lambda/aws/organizations';
import { parseSweepConfig } from '../../lambda/config/parse';
import { planRun } from '../../lambda/sweep/run';
import {
  doubleOuId,
  ORGANIZATIONS_IN_PROGRESS_MESSAGE,
  ORGANIZATIONS_THROTTLED_MESSAGE,
  type DoubleOptions,
  type DoubleStats,
} from '../../bench/aws-double';
import { useLoadDouble } from '../support/load-double';
import { RecordingLogger } from '../support/recording-logger';

/**
 * Discovery under Organizations' request rate. The load double enforces a rate (a token bucket)
 * and answers over it as AWS does; a run's plan (`planRun`: what `runSweep` runs first, and the
 * distributed plan step, lambda/distributed/phases.ts) still finds every account, its throttled
 * requests retried by the SDK, with no more Organizations requests at once than
 * ORGANIZATIONS_CONCURRENCY however wide the sweep's concurrency.
 */

const double = useLoadDouble();

/** A run's plan at concurrency 256 of 20 target OUs of 50 accounts, against a double of 1,000 accounts. */
async function planTwentyOus(options: Omit<DoubleOptions, 'accounts' | 'regions'>) {
  const stats = await double.start({ accounts: 1_000, regions: ['us-east-1'], ...options });
  const clients = createAwsClients({ homeRegion: 'us-east-1' });
  try {
    const targetOuIds = Array.from({ length: 20 }, (_, index) => doubleOuId(index));
    const config = parseSweepConfig({ targetOuIds, regions: ['us-east-1'], concurrency: 256 }, 'test', (key) => key);
    const plan = await planRun(config, { clients, logger: new RecordingLogger() });
    return { plan, targetOuIds, stats: stats() };
  } finally {
    clients.destroy();
  }
}

const answered = (stats: DoubleStats, action: string) =>
  (stats.requests[`organizations:${action}`] ?? 0) - (stats.throttled[`organizations:${action}`] ?? 0);

test("over its rate the double answers as AWS does: HTTP 400, TooManyRequestsException, AWS's message", async () => {
  const stats = await double.start({
    accounts: 1,
    regions: ['us-east-1'],
    latencyMs: 0,
    organizationsRate: 0.1,
    organizationsBurst: 1,
  });
  const clients = createAwsClients({ homeRegion: 'us-east-1', maxAttempts: 1 });
  try {
    await clients.organizations().send(new DescribeOrganizationCommand({}));
    const error: unknown = await clients
      .organizations()
      .send(new DescribeOrganizationCommand({}))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(TooManyRequestsException);
    expect(error).toMatchObject({ message: ORGANIZATIONS_THROTTLED_MESSAGE, $metadata: { httpStatusCode: 400 } });
    expect(stats().throttled).toEqual({ 'organizations:DescribeOrganization': 1 });
  } finally {
    clients.destroy();
  }
});

test('a plan at concurrency 256 lists 20 target OUs of 50 accounts through throttling, at most ORGANIZATIONS_CONCURRENCY requests at once', async () => {
  // About 100 requests against a burst of 5, every target OU's listings ready to start at once.
  const {
    plan,
    targetOuIds,
    stats: after,
  } = await planTwentyOus({
    latencyMs: 0,
    organizationsRate: 40,
    organizationsBurst: 5,
  });

  expect(plan.targets).toHaveLength(1_000);
  expect(new Set(plan.targets.map((account) => account.id)).size).toBe(1_000);
  expect(plan.ouNames).toEqual(Object.fromEntries(targetOuIds.map((id) => [id, id])));
  expect(after.rejections).toEqual([]);
  expect(Object.values(after.throttled).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
  expect(after.maxOrganizationsInFlight).toBeLessThanOrEqual(ORGANIZATIONS_CONCURRENCY);
  // Every listing answered once: 20 OUs, 50 accounts each in 3 pages, no OU below them.
  expect(answered(after, 'ListAccountsForParent')).toBe(20 * 3);
  expect(answered(after, 'ListOrganizationalUnitsForParent')).toBe(20);
  expect(answered(after, 'DescribeOrganizationalUnit')).toBe(20);
  expect(answered(after, 'DescribeOrganization')).toBe(1);
});

test('over the requests it serves at once the double answers "another request is already in progress", without taking from the rate', async () => {
  const stats = await double.start({
    accounts: 1,
    regions: ['us-east-1'],
    latencyMs: 50,
    organizationsRate: 0.001,
    organizationsBurst: 2,
    organizationsInFlight: 1,
  });
  const clients = createAwsClients({ homeRegion: 'us-east-1', maxAttempts: 1 });
  try {
    const both = await Promise.allSettled([
      clients.organizations().send(new DescribeOrganizationCommand({})),
      clients.organizations().send(new DescribeOrganizationCommand({})),
    ]);

    // Whichever arrived second was refused.
    expect(both.filter((settled) => settled.status === 'fulfilled')).toHaveLength(1);
    expect(both.find((settled) => settled.status === 'rejected')).toMatchObject({
      reason: { name: 'TooManyRequestsException', message: ORGANIZATIONS_IN_PROGRESS_MESSAGE },
    });
    expect(stats()).toMatchObject({ throttled: { 'organizations:DescribeOrganization': 1 }, throttledInFlight: 1 });
    // The refused request took no token: the burst of 2 still has one for the next.
    await expect(clients.organizations().send(new DescribeOrganizationCommand({}))).resolves.toBeDefined();
  } finally {
    clients.destroy();
  }
});

test('a plan lists 20 target OUs through both throttles: the rate, and one request served at a time', async () => {
  const { plan, stats: after } = await planTwentyOus({
    latencyMs: 5,
    organizationsRate: 40,
    organizationsBurst: 5,
    organizationsInFlight: 1,
  });

  expect(plan.targets).toHaveLength(1_000);
  expect(after.rejections).toEqual([]);
  expect(after.throttledInFlight).toBeGreaterThan(0);
  expect(answered(after, 'ListAccountsForParent')).toBe(20 * 3);
});
