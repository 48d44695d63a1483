import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { AwsClients } from '../../lambda/aws/clients';
import { s3RunStore, type RunStore } from '../../lambda/aws/run-store';
import { parseSweepConfig } from '../../lambda/config/parse';
import type { SweepConfig } from '../../lambda/config/schema';
import type { SweepReport, SweepResult } from '../../lambda/core/report';
import { sweepMetrics } from '../../lambda/core/sweep-metrics';
import {
  batchPhase,
  batchesKey,
  mergePhase,
  planPhase,
  reportKey,
  type BatchItem,
} from '../../lambda/distributed/phases';
import { EventValidationError } from '../../lambda/errors';
import { runSweep } from '../../lambda/sweep';
import { buildDemoOrganization, type DemoOrganization } from '../../demo/scenario';
import type { Emulator } from '../support/emulator';
import { RecordingLogger } from '../support/recording-logger';
import { useSweepHarness } from '../support/sweep-harness';

/**
 * The distributed sweep's three steps, in process, against moto (Organizations, STS, EC2 and S3 as
 * the run store): plan → every batch → merge gives the report one single sweep gives, row for row.
 */

const harness = useSweepHarness({ per: 'file' });
let emulator: Emulator;
let clients: AwsClients;
let org: DemoOrganization;
let store: RunStore;
const BUCKET = 'janitor-runs';

beforeAll(async () => {
  ({ emulator, clients } = harness);
  org = await buildDemoOrganization(emulator.fixture, emulator.proxy);
  const s3 = clients.hub(S3Client);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  store = s3RunStore(s3, BUCKET);
});

const configFor = (overrides: Record<string, unknown> = {}): SweepConfig =>
  parseSweepConfig({ ...org.config, ...overrides }, 'test', (key) => key);
const dependencies = () => ({ clients, logger: new RecordingLogger() });

/** Plan, then each batch (but those in `skip`, as if their invocation died), then merge. */
async function distributedRun(
  config: SweepConfig,
  runId: string,
  event: unknown = {},
  options: { batchSize?: number; skip?: number[]; deadline?: Date } = {},
) {
  const plan = await planPhase(config, dependencies(), store, { batchSize: options.batchSize ?? 3 }, { runId, event });
  const items = (await store.get<BatchItem[]>(plan.batchesKey)) ?? [];
  for (const item of items) {
    if (!options.skip?.includes(item.index)) {
      await batchPhase(config, dependencies(), store, item, plan.batchesSha256, options.deadline);
    }
  }
  return { plan, items, ...(await mergePhase(store, { runId, pin: plan.batchesSha256 })) };
}

/** A row without what differs between two runs of the same state (times). */
const comparable = (report: SweepReport) =>
  report.results.map((row: SweepResult) => ({ ...row, repairedAt: undefined }));

test('plan → every batch → merge gives, row for row, the report of one single sweep (dry run)', async () => {
  const config = configFor({ mode: 'report' });
  const single = await runSweep(config, dependencies());
  const { plan, items, report } = await distributedRun(config, 'dry-run-1');
  // Eight target accounts (ten, minus the suspended, the excluded, and prod-outside; the
  // suspended and excluded ones are skipped rows of the plan), three per batch.
  expect(plan).toMatchObject({ batchesKey: batchesKey('dry-run-1'), bucket: BUCKET, batchCount: 3 });
  expect(items.map((item) => item.accounts.length)).toEqual([3, 3, 1]);
  expect(comparable(report)).toEqual(comparable(single));
  expect(report.summary).toEqual(single.summary);
  expect(report.organizationId).toBe(single.organizationId);
  // The merged report is kept in the run store.
  expect(await store.get<SweepReport>(reportKey('dry-run-1'))).toMatchObject({ summary: single.summary });
});

test("a manual execution input narrows the run like the function's event; a targeted repair is refused", async () => {
  const config = configFor();
  const alpha = org.accounts['alpha-route-deleted'];
  const { report, items } = await distributedRun(config, 'manual-1', {
    dryRun: true,
    accountIds: [alpha],
    regions: ['us-east-1'],
  });
  expect(items).toHaveLength(1);
  expect(report.mode).toBe('report');
  expect(report.results.map((row) => [row.accountId, row.region, row.status])).toEqual([
    [alpha, 'us-east-1', 'would-restore'],
  ]);
  await expect(
    planPhase(config, dependencies(), store, { batchSize: 3 }, { runId: 'bad-1', event: { dryRun: 'yes' } }),
  ).rejects.toThrow(EventValidationError);
  const targeted = {
    source: 'account-janitor',
    'detail-type': 'Quiet Period Ended',
    detail: {
      accountId: alpha,
      region: 'us-east-1',
      cause: {
        principalArn: 'arn:aws:iam::111122223333:user/x',
        sessionIssuerArn: null,
        eventName: 'DeleteRoute',
        eventTime: '2026-11-26T02:13:07Z',
        sourceIp: null,
        userAgent: null,
      },
    },
  };
  await expect(
    planPhase(config, dependencies(), store, { batchSize: 3 }, { runId: 'bad-2', event: targeted }),
  ).rejects.toThrow('targeted repairs run on the sweep function');
});

test('a batch that never finished leaves its accounts not-checked, and SweepIncomplete trips', async () => {
  const config = configFor({ mode: 'report' });
  const { items, report } = await distributedRun(config, 'timeout-1', {}, { skip: [1] });
  const lost = (items[1]?.accounts ?? []).map((account) => account.id);
  expect(lost).toHaveLength(3);
  for (const accountId of lost) {
    expect(report.results.filter((row) => row.accountId === accountId)).toEqual([
      expect.objectContaining({
        region: null,
        status: 'not-checked',
        message: 'batch 2 of 3 did not finish (timed out or failed)',
      }),
    ]);
  }
  expect(sweepMetrics(report).SweepIncomplete).toBe(1);
  // A batch whose own deadline passed reports what it did not reach as not-checked too.
  const late = await distributedRun(config, 'deadline-1', {}, { deadline: new Date(Date.now() - 1000) });
  expect(late.report.summary['not-checked']).toBeGreaterThan(0);
  expect(sweepMetrics(late.report).SweepIncomplete).toBe(1);
});

test('remediation in batches: each batch writes within its share of the cap, the run within the cap', async () => {
  emulator.proxy.clear();
  const config = configFor({ maxRepairsPerRun: 2 });
  const { items, report } = await distributedRun(config, 'remediate-1');
  expect(items.map((item) => item.maxRepairs).reduce((sum, share) => sum + share, 0)).toBe(2);
  const writes = emulator.proxy.requests.filter(
    (request) => request.service === 'ec2' && ['CreateRoute', 'ReplaceRoute'].includes(request.action),
  );
  expect(writes.length).toBeLessThanOrEqual(2);
  expect(report.summary.restored + report.summary.replaced).toBe(writes.length);
  expect(report.repairCapReached).toBe(true);
});

test('a forged batch runs nothing: a stronger mode, a higher cap, another account, or batches changed after the plan', async () => {
  const config = configFor({ mode: 'report', maxRepairsPerRun: 5 });
  const plan = await planPhase(config, dependencies(), store, { batchSize: 3 }, { runId: 'forged-1', event: {} });
  const [first] = (await store.get<BatchItem[]>(plan.batchesKey)) ?? [];
  if (!first) throw new Error('no batch');
  const outsider = { id: '999999999999', name: 'not a target' };
  const forgeries: [BatchItem, string][] = [
    [{ ...first, mode: 'remediate' }, 'mode remediate where the configuration reports'],
    [{ ...first, maxRepairs: 100_000 }, 'a cap of 100000 above maxRepairsPerRun 5'],
    [{ ...first, regions: ['ap-south-1'] }, 'regions outside the configuration: ap-south-1'],
    [{ ...first, accounts: [outsider] }, "not the plan's batch 1"],
  ];
  for (const [item, reason] of forgeries) {
    emulator.proxy.clear();
    const logger = new RecordingLogger();
    await batchPhase(config, { clients, logger }, store, item, plan.batchesSha256);
    // No account entered, no EC2 call anywhere.
    expect(emulator.proxy.requests.filter((request) => request.service === 'sts' || request.service === 'ec2')).toEqual(
      [],
    );
    expect(logger.entries).toContainEqual({
      level: 'error',
      message: 'batch refused',
      attributes: { runId: 'forged-1', index: 0, reason },
    });
  }
  // Its accounts come out not-checked with the reason, so SweepIncomplete trips.
  const { report } = await mergePhase(store, { runId: 'forged-1', pin: plan.batchesSha256 });
  const refusedRows = report.results.filter((row) => first.accounts.some((account) => account.id === row.accountId));
  expect(refusedRows.map((row) => [row.status, row.message])).toEqual(
    first.accounts.map(() => ['not-checked', "batch 1 of 3 was refused: not the plan's batch 1"]),
  );
  expect(report.results.some((row) => row.accountId === outsider.id)).toBe(false);

  // The stored batches rewritten after the plan (as anyone with s3:PutObject could): refused, and no report.
  await store.put(plan.batchesKey, [{ ...first, mode: 'remediate', maxRepairs: 5 }]);
  const logger = new RecordingLogger();
  await batchPhase(config, { clients, logger }, store, { ...first, mode: 'report' }, plan.batchesSha256);
  expect(logger.entries.map((entry) => entry.attributes['reason'])).toEqual([
    "the stored batches are not the plan's (their SHA-256 differs)",
  ]);
  await expect(mergePhase(store, { runId: 'forged-1', pin: plan.batchesSha256 })).rejects.toThrow(
    "run forged-1: the stored batches are not the plan's (their SHA-256 differs): no report",
  );
});

test('a plan with no target account: no batch, and the merge still makes the (empty) report', async () => {
  const config = configFor({ accountTags: 'purpose=nothing-has-this' });
  const { plan, items, report } = await distributedRun(config, 'empty-1');
  expect(plan.batchCount).toBe(0);
  expect(items).toEqual([]);
  // Only what the plan skipped (the excluded account, matched before the tag filter).
  expect(report.results.map((row) => row.status)).toEqual(['skipped']);
});
