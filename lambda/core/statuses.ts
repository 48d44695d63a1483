/**
 * Every status a row of the sweep report can carry, and what each one means for the exit code
 * and the metrics. One list, so the CLI, the handler, the renderers and the metrics agree.
 */

/** Statuses of one account-region (a row with a region). */
export const TARGET_STATUSES = [
  'ok',
  'restored',
  'replaced',
  'would-restore',
  'would-replace',
  // Opt-in repairs of the rest of the default network path (repairInternetGateway).
  'gateway-restored',
  'would-restore-gateway',
  'vpc-recreated',
  'would-recreate-vpc',
  'conflict',
  'no-internet-gateway',
  'no-default-vpc',
  'ignored',
  'region-disabled',
  'repair-failed',
  'error',
  // Not reached before the deadline (also a whole-account status: the account was never entered).
  'not-checked',
] as const;

/** Statuses of a whole account (a row whose region is null). */
export const ACCOUNT_STATUSES = ['skipped', 'access-denied'] as const;

export const SWEEP_STATUSES = [...ACCOUNT_STATUSES, ...TARGET_STATUSES] as const;

export type TargetStatus = (typeof TARGET_STATUSES)[number];
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];
export type SweepStatus = (typeof SWEEP_STATUSES)[number];

/** Statuses that leave something broken or unverified: any of them makes the CLI exit 1. */
export const UNRESOLVED_STATUSES: ReadonlySet<SweepStatus> = new Set<SweepStatus>([
  'would-restore',
  'would-replace',
  'would-restore-gateway',
  'would-recreate-vpc',
  'conflict',
  'no-internet-gateway',
  'repair-failed',
  'error',
  'access-denied',
  'not-checked',
]);

/** Statuses that mean the route had drifted (found missing or stale), whatever became of it. */
export const DRIFT_STATUSES: ReadonlySet<SweepStatus> = new Set<SweepStatus>([
  'restored',
  'replaced',
  'would-restore',
  'would-replace',
  'gateway-restored',
  'would-restore-gateway',
  'vpc-recreated',
  'would-recreate-vpc',
  'repair-failed',
]);

export const REPAIRED_STATUSES: ReadonlySet<SweepStatus> = new Set<SweepStatus>([
  'restored',
  'replaced',
  'gateway-restored',
  'vpc-recreated',
]);
