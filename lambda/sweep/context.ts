import { DEFAULT_SETTLE_DELAYS_MS } from '../aws/eventual-consistency';
import type { SweepConfig } from '../config/schema';
import type { Schedule } from '../core/limiter';
import type { RegionNetwork } from '../core/plan-route-repair';
import type { SweepResult } from '../core/report';
import type { SweepDependencies, SweepScope } from './types';

/** What every step of one sweep shares: its configuration, dependencies, scheduler and counters. */
export interface AccountContext {
  readonly config: SweepConfig;
  readonly dependencies: SweepDependencies;
  readonly schedule: Schedule;
  readonly scope: SweepScope;
  readonly progress: { accountsDone: number; accountsTotal: number; targetsDone: number };
  /** Writes started in this run, against maxRepairsPerRun. */
  readonly repairs: { started: number; capReached: boolean };
  /** True once the deadline has passed: start nothing new. */
  readonly expired: () => boolean;
  /** Identifies the run on what it creates (tag account-janitor:created). */
  readonly runId: string;
}

/** The route's outcome, and the region as last described (again after a VPC recreation). */
export interface RouteOutcome {
  readonly row: SweepResult;
  readonly network: RegionNetwork | undefined;
}

/**
 * Counts `writes` against the run's cap; false (and the cap marked reached) when they do not fit,
 * or when the cap has no room left for `room` writes (the most the step may need).
 */
export function reserveWrites(context: AccountContext, writes: number, room = writes): boolean {
  if (context.repairs.started + Math.max(writes, room) > context.config.maxRepairsPerRun) {
    context.repairs.capReached = true;
    return false;
  }
  context.repairs.started += writes;
  return true;
}

/** Gives back writes reserved but not made (AWS made them, or an earlier step failed). */
export function releaseWrites(context: AccountContext, writes: number): void {
  context.repairs.started -= Math.max(0, writes);
}

export const settleDelays = (context: AccountContext) =>
  context.dependencies.settleDelaysMs ?? DEFAULT_SETTLE_DELAYS_MS;

export const capNote = (context: AccountContext) =>
  `not repaired: this run reached its cap of ${context.config.maxRepairsPerRun} writes (maxRepairsPerRun)`;
