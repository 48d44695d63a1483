/** What a status says about its row: the fields every entry of the status table has, and their usual sets. */

/** The groups of rows that need a person or changed, worst first (report/attention.ts titles them). */
export type AttentionGroupKey =
  | 'failed'
  | 'not-checked'
  | 'conflict'
  | 'left-by-responder'
  | 'off-path'
  | 'broken'
  | 'would-repair'
  | 'findings'
  | 'repaired';

export interface StatusTraits {
  /**
   * `account`: a whole account's row (region null); `target`: an account-region's route; any other
   * name, a part of the row besides the route (its field: row-parts.ts defines it).
   */
  readonly part: string;
  /** Where the row is listed; `null`: only counted. */
  readonly group: AttentionGroupKey | null;
  /** Leaves something broken or unverified: the CLI exits 1. */
  readonly unresolved: boolean;
  /** Drift was found (missing, stale or stripped), whatever became of it. */
  readonly drift: boolean;
  /** The route (or its gateway or VPC) was repaired: `RoutesRepaired`. */
  readonly routeRepaired?: true;
  /** The route changed, or would: the digest's line says before → after. */
  readonly routeChange?: true;
  /** A part's healthy state: not shown beside the route's. */
  readonly healthy?: true;
  /** What failed, for the metrics: a read (`AccountErrors`) or a repair (`RepairsFailed`). */
  readonly failure?: 'read' | 'repair';
  /**
   * A write of the janitor refused by a policy (an SCP, a permissions boundary, the role's own):
   * the row names the policy and the next step; `WritesRefused`.
   */
  readonly refused?: true;
  /** Tagged account-janitor:ignore: left alone, and listed in every digest (whoever tags silences the janitor). */
  readonly ignored?: true;
  /** When a row carries it, in one line: docs/statuses.md's table is made from these. */
  readonly doc: string;
}

export const quiet = { group: null, unresolved: false, drift: false } as const;
export const failed = { group: 'failed', unresolved: true } as const;
export const wouldRepair = { group: 'would-repair', unresolved: true, drift: true } as const;
/** A repair's write refused by a policy: a failed repair (`RepairsFailed` too), with the policy named. */
export const refusedRepair = { ...failed, drift: true, failure: 'repair', refused: true } as const;
export const repaired = { group: 'repaired', unresolved: false, drift: true } as const;
export const routeRepair = { ...repaired, routeRepaired: true, routeChange: true } as const;
export const routeWouldRepair = { ...wouldRepair, routeChange: true } as const;
