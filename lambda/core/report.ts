import type { Mode } from '../config/schema';
import type { Cause } from './cause';
import type { SubnetFinding } from './plan-subnet-repair';
import { SUBNET_STATUSES, SWEEP_STATUSES, UNRESOLVED_STATUSES, type SubnetStatus, type SweepStatus } from './statuses';

/** The default subnets of an account-region, when they were checked. */
export interface SubnetsResult {
  readonly status: SubnetStatus;
  /** Zones given a default subnet by this run (CreateDefaultSubnet, verified). */
  readonly zonesRepaired: readonly string[];
  /** Zones still without a default subnet after this run. */
  readonly zonesMissing: readonly string[];
  /** Report-only problems of the existing default subnets. */
  readonly findings: readonly SubnetFinding[];
  /** The AWS error code, for `subnets-repair-failed`. */
  readonly errorCode: string | null;
  readonly message: string;
}

/** One row of the report: an account-region, or a whole account (`region: null`). */
export interface SweepResult {
  readonly accountId: string;
  readonly accountName: string;
  readonly region: string | null;
  readonly status: SweepStatus;
  readonly vpcId: string | null;
  readonly routeTableId: string | null;
  /** The internet gateway attached to the default VPC (what 0.0.0.0/0 should target). */
  readonly internetGatewayId: string | null;
  /** What 0.0.0.0/0 targeted before the janitor looked (`null`: there was no such route). */
  readonly previousTarget: string | null;
  /** The AWS error code, for `access-denied`, `region-disabled`, `region-denied`, `repair-failed` and `error`. */
  readonly errorCode: string | null;
  readonly message: string;
  /** The default subnets: `null` unless checked (checkDefaultSubnets, repairDefaultSubnets) and a default VPC was read. */
  readonly subnets: SubnetsResult | null;
  /** Who broke it: the breaking call CloudTrail shows for a drifted row (`null`: not looked up, or none found). */
  readonly cause: Cause | null;
  /** When the repair of this row was verified (ISO 8601); `null` when nothing was repaired. */
  readonly repairedAt: string | null;
}

export type StatusCounts = Record<SweepStatus, number>;
export type SubnetStatusCounts = Record<SubnetStatus, number>;

/** Where a run ran: the organization it found and the account of its credentials. */
export interface RunIdentity {
  readonly organizationId: string | null;
  readonly callerAccountId: string | null;
}

export interface SweepReport extends RunIdentity {
  readonly mode: Mode;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** How many rows carry each status (every status is listed, zeros included). */
  readonly summary: StatusCounts;
  /** How many rows carry each default subnets status (all zero unless the subnets were checked). */
  readonly subnetSummary: SubnetStatusCounts;
  /** Some drift was left as `would-*` because the run reached its cap of repairs. */
  readonly repairCapReached: boolean;
  readonly results: readonly SweepResult[];
}

export function countByStatus(results: readonly SweepResult[]): StatusCounts {
  const counts = Object.fromEntries(SWEEP_STATUSES.map((status) => [status, 0])) as StatusCounts;
  for (const result of results) counts[result.status] += 1;
  return counts;
}

export function countBySubnetStatus(results: readonly SweepResult[]): SubnetStatusCounts {
  const counts = Object.fromEntries(SUBNET_STATUSES.map((status) => [status, 0])) as SubnetStatusCounts;
  for (const result of results) if (result.subnets) counts[result.subnets.status] += 1;
  return counts;
}

/** The row's statuses that leave something broken or unverified (route and subnets). */
export function unresolvedStatusesOf(result: SweepResult): (SweepStatus | SubnetStatus)[] {
  return [result.status, ...(result.subnets ? [result.subnets.status] : [])].filter((status) =>
    UNRESOLVED_STATUSES.has(status),
  );
}

/** Rows ordered by account, the account's own row first, then by region. */
export function compareResults(a: SweepResult, b: SweepResult): number {
  if (a.accountId !== b.accountId) return a.accountId < b.accountId ? -1 : 1;
  if (a.region === b.region) return 0;
  if (a.region === null) return -1;
  if (b.region === null) return 1;
  return a.region < b.region ? -1 : 1;
}

export function buildReport(
  mode: Mode,
  startedAt: Date,
  finishedAt: Date,
  results: readonly SweepResult[],
  repairCapReached = false,
  identity: RunIdentity = { organizationId: null, callerAccountId: null },
): SweepReport {
  const sorted = [...results].sort(compareResults);
  return {
    mode,
    organizationId: identity.organizationId,
    callerAccountId: identity.callerAccountId,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    summary: countByStatus(sorted),
    subnetSummary: countBySubnetStatus(sorted),
    repairCapReached,
    results: sorted,
  };
}

/** 0 when nothing is left broken or unverified; 1 otherwise. */
export function exitCodeFor(report: SweepReport): 0 | 1 {
  return report.results.some((result) => unresolvedStatusesOf(result).length > 0) ? 1 : 0;
}
