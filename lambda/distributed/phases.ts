import { createHash } from 'node:crypto';
import type { RunStore } from '../aws/run-store';
import type { SweepConfig } from '../config/schema';
import { buildReport, withAccountOus, type RunIdentity, type SweepReport, type SweepResult } from '../core/report';
import type { TargetAccount } from '../discover-target-accounts';
import { EventValidationError } from '../errors';
import { applyRequest, parseInvocationEvent, type SweepRequest } from '../invocation-event';
import type { SweepDependencies } from '../sweep';
import { planRun, sweepTargets } from '../sweep/run';
import { accountRow } from '../sweep/rows';

/**
 * The sweep on AWS Step Functions, for organizations one invocation cannot finish. Three steps of
 * the same engine, handing each other JSON in the run store:
 * - plan: validates the execution's input like the function's event, checks the organization,
 *   discovers the targets once, and splits them into batches of `batchSize` accounts
 *   (`runs/<id>/batches.json`, which the Distributed Map reads);
 * - batch: sweeps one batch's accounts (`runs/<id>/batch-<n>.json`), under its own deadline and
 *   its share of the repair cap;
 * - merge: one report from the plan's skipped rows and every batch's rows; a batch that never
 *   wrote its rows leaves its accounts `not-checked` (so SweepIncomplete trips).
 * The plan's batches are pinned: their SHA-256 goes into the execution's state (which no one
 * writing to the bucket can change), and each batch and the merge check the stored batches
 * against it. A batch also runs only within the configuration (mode no stronger, cap no higher,
 * regions within it) and only the plan's item at its index; otherwise it runs nothing and its
 * accounts come out not-checked with the reason.
 */

export interface DistributedSettings {
  readonly batchSize: number;
}

export interface BatchItem {
  readonly runId: string;
  readonly index: number;
  readonly accounts: readonly TargetAccount[];
  /** This batch's share of maxRepairsPerRun. */
  readonly maxRepairs: number;
  readonly mode: SweepConfig['mode'];
  readonly regions?: readonly string[] | undefined;
}

interface PlanDocument {
  readonly runId: string;
  readonly trigger: SweepRequest['trigger'];
  readonly mode: SweepConfig['mode'];
  readonly startedAt: string;
  readonly identity: RunIdentity;
  readonly skippedRows: readonly SweepResult[];
  /** The OUs of the accounts, for the report's map only: nothing is decided by them. */
  readonly accountOus?: Readonly<Record<string, string>> | undefined;
  readonly ouNames?: Readonly<Record<string, string>> | undefined;
  readonly batchCount: number;
}

interface BatchDocument {
  readonly index: number;
  readonly results: readonly SweepResult[];
  readonly repairCapReached: boolean;
  /** Why the batch ran nothing. */
  readonly refused?: string;
}

export interface PlanOutput {
  readonly runId: string;
  readonly bucket: string;
  readonly batchesKey: string;
  readonly batchCount: number;
  readonly accountCount: number;
  /** SHA-256 of the batches as the plan wrote them: carried in the execution's state. */
  readonly batchesSha256: string;
}

/** The digest a plan pins its batches with (of their JSON, as stored). */
export function batchesDigest(items: readonly BatchItem[]): string {
  return createHash('sha256').update(JSON.stringify(items)).digest('hex');
}

const planKey = (runId: string) => `runs/${runId}/plan.json`;
export const batchesKey = (runId: string) => `runs/${runId}/batches.json`;
const batchKey = (runId: string, index: number) => `runs/${runId}/batch-${index}.json`;
export const reportKey = (runId: string) => `runs/${runId}/report.json`;

export async function planPhase(
  config: SweepConfig,
  dependencies: SweepDependencies,
  store: RunStore,
  settings: DistributedSettings,
  input: { readonly runId: string; readonly event: unknown },
): Promise<PlanOutput> {
  const request = parseInvocationEvent(input.event ?? {});
  if (request.trigger === 'event') {
    throw new EventValidationError('invalid execution input', [
      { field: 'source', value: 'account-janitor', message: 'targeted repairs run on the sweep function, not here' },
    ]);
  }
  const sweep = applyRequest(config, request);
  const plan = await planRun(sweep.config, dependencies, sweep.scope);
  const slices: (readonly TargetAccount[])[] = [];
  for (let start = 0; start < plan.targets.length; start += settings.batchSize) {
    slices.push(plan.targets.slice(start, start + settings.batchSize));
  }
  const shares = shareOut(
    sweep.config.maxRepairsPerRun,
    slices.map((accounts) => accounts.length),
  );
  const items: BatchItem[] = slices.map((accounts, index) => ({
    runId: input.runId,
    index,
    accounts,
    maxRepairs: shares[index] ?? 0,
    mode: sweep.config.mode,
    regions: sweep.scope.regions,
  }));
  const document: PlanDocument = {
    runId: input.runId,
    trigger: request.trigger,
    mode: sweep.config.mode,
    startedAt: plan.startedAt.toISOString(),
    identity: plan.identity,
    skippedRows: plan.skippedRows,
    accountOus: plan.accountOus,
    ouNames: plan.ouNames,
    batchCount: items.length,
  };
  await store.put(planKey(input.runId), document);
  await store.put(batchesKey(input.runId), items);
  const batchesSha256 = batchesDigest(items);
  dependencies.logger.info('distributed sweep planned', {
    runId: input.runId,
    accounts: plan.targets.length,
    batches: items.length,
    mode: sweep.config.mode,
  });
  return {
    runId: input.runId,
    bucket: store.bucket,
    batchesKey: batchesKey(input.runId),
    batchCount: items.length,
    accountCount: plan.targets.length,
    batchesSha256,
  };
}

/**
 * The cap split across the batches in proportion to their accounts, largest remainders first: the
 * shares add up to the cap exactly, so the run as a whole never writes more than it allows.
 */
export function shareOut(cap: number, sizes: readonly number[]): number[] {
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total === 0) return sizes.map(() => 0);
  const exact = sizes.map((size) => (cap * size) / total);
  const shares = exact.map(Math.floor);
  let left = cap - shares.reduce((sum, share) => sum + share, 0);
  const byRemainder = exact.map((value, index) => ({ index, remainder: value - Math.floor(value) }));
  byRemainder.sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (left <= 0) break;
    shares[index] = (shares[index] ?? 0) + 1;
    left -= 1;
  }
  return shares;
}

export async function batchPhase(
  config: SweepConfig,
  dependencies: SweepDependencies,
  store: RunStore,
  item: BatchItem,
  pin: string,
  deadline?: Date,
): Promise<{ runId: string; index: number; rows: number }> {
  const refusal = await refusalOf(config, store, item, pin);
  if (refusal) {
    // Nothing runs; the merge reports the plan's accounts of this batch not-checked, with the reason.
    dependencies.logger.error('batch refused', { runId: item.runId, index: item.index, reason: refusal });
    const document: BatchDocument = { index: item.index, results: [], repairCapReached: false, refused: refusal };
    await store.put(batchKey(item.runId, item.index), document);
    return { runId: item.runId, index: item.index, rows: 0 };
  }
  const swept = await sweepTargets(
    { ...config, mode: item.mode },
    dependencies,
    { regions: item.regions, deadline },
    item.accounts,
    { maxRepairs: item.maxRepairs },
  );
  const document: BatchDocument = { index: item.index, ...swept };
  await store.put(batchKey(item.runId, item.index), document);
  return { runId: item.runId, index: item.index, rows: swept.results.length };
}

/**
 * Why a batch item may not run, or undefined: stronger than the configuration (remediate where it
 * reports, a cap above the run's, regions outside it), or not the plan's (the stored batches do
 * not match the pin of the execution, or this item is not the one at its index).
 */
async function refusalOf(
  config: SweepConfig,
  store: RunStore,
  item: BatchItem,
  pin: string,
): Promise<string | undefined> {
  if (config.mode === 'report' && item.mode !== 'report') return `mode ${item.mode} where the configuration reports`;
  if (item.maxRepairs > config.maxRepairsPerRun) {
    return `a cap of ${item.maxRepairs} above maxRepairsPerRun ${config.maxRepairsPerRun}`;
  }
  const outside = (item.regions ?? []).filter((region) => config.regions !== 'all' && !config.regions.includes(region));
  if (outside.length > 0) return `regions outside the configuration: ${outside.join(', ')}`;
  const planned = await store.get<BatchItem[]>(batchesKey(item.runId));
  if (!planned || batchesDigest(planned) !== pin)
    return "the stored batches are not the plan's (their SHA-256 differs)";
  if (JSON.stringify(planned[item.index]) !== JSON.stringify(item)) return `not the plan's batch ${item.index + 1}`;
  return undefined;
}

export async function mergePhase(
  store: RunStore,
  input: { readonly runId: string; readonly pin: string },
  now: () => Date = () => new Date(),
): Promise<{ report: SweepReport; trigger: SweepRequest['trigger'] }> {
  const plan = await store.get<PlanDocument>(planKey(input.runId));
  const batches = await store.get<BatchItem[]>(batchesKey(input.runId));
  if (!plan || !batches) throw new Error(`run ${input.runId}: no plan in s3://${store.bucket}/runs/${input.runId}/`);
  // Batches changed after the plan: their accounts cannot be trusted even to be listed.
  if (batchesDigest(batches) !== input.pin) {
    throw new Error(`run ${input.runId}: the stored batches are not the plan's (their SHA-256 differs): no report`);
  }
  const rows: SweepResult[] = [...plan.skippedRows];
  let repairCapReached = false;
  for (const batch of batches) {
    const done = await store.get<BatchDocument>(batchKey(input.runId, batch.index));
    if (done?.refused) {
      const message = `batch ${batch.index + 1} of ${batches.length} was refused: ${done.refused}`;
      rows.push(...batch.accounts.map((account) => accountRow(account, 'not-checked', message)));
    } else if (done) {
      rows.push(...done.results);
      repairCapReached ||= done.repairCapReached;
    } else {
      const message = `batch ${batch.index + 1} of ${batches.length} did not finish (timed out or failed)`;
      rows.push(...batch.accounts.map((account) => accountRow(account, 'not-checked', message)));
    }
  }
  const built = buildReport(plan.mode, new Date(plan.startedAt), now(), rows, repairCapReached, plan.identity);
  const report = withAccountOus(built, plan.accountOus, plan.ouNames);
  await store.putStreamed(reportKey(input.runId), report, 'results');
  return { report, trigger: plan.trigger };
}
