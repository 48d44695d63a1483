import type { Mode } from '../config/schema';
import type { Cause } from './who-broke-it';
import type { EgressFinding } from './plan-egress-repair';
import type { GuardRailEntry } from './plan-protection';
import type { SubnetFinding } from './plan-subnet-repair';
import {
  DRIFT_STATUSES,
  EGRESS_STATUSES,
  SUBNET_STATUSES,
  SWEEP_STATUSES,
  UNRESOLVED_STATUSES,
  type EgressStatus,
  type ProtectionStatus,
  type RowStatus,
  type SubnetStatus,
  type SweepStatus,
} from './statuses';

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

/** The guard rail's tag on the default path of an account-region. */
export interface ProtectionResult {
  readonly status: ProtectionStatus;
  /** Every resource of the default path found (ignored ones left out). */
  readonly resources: readonly string[];
  /** What this run tagged, verified. */
  readonly tagged: readonly string[];
  /** The AWS error code, for `protect-failed`. */
  readonly errorCode: string | null;
  readonly message: string;
}

/** The default security group's egress and the default network ACL, when they were checked. */
export interface EgressResult {
  readonly status: EgressStatus;
  /** What was found blocked or restricted, naming the group or ACL and the direction (before any repair). */
  readonly findings: readonly EgressFinding[];
  /** What this run put back, verified: e.g. `sg-… egress all traffic to 0.0.0.0/0`. */
  readonly repaired: readonly string[];
  /** The AWS error code, for `egress-repair-failed` and `egress-error`. */
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
  /** The egress: `null` unless checked (checkEgress, repairEgress) and a default VPC was read. */
  readonly egress: EgressResult | null;
  /** The guard rail's tag on the default path: absent unless protectDefaultPath is audit or enforce. */
  readonly protection?: ProtectionResult | null;
  /** protectDefaultPath=audit: the breaking call of this row hit a protected resource; the guard rail would have refused it. */
  readonly wouldBlock?: GuardRailEntry | null;
  /** protectDefaultPath=enforce: breaking calls the guard rail refused here (a clean-up that needs fixing). */
  readonly guardRailBlocked?: readonly GuardRailEntry[];
  /** Who broke it: the breaking call CloudTrail shows for a drifted row (`null`: not looked up, or none found). */
  readonly cause: Cause | null;
  /** When the repair of this row was verified (ISO 8601); `null` when nothing was repaired. */
  readonly repairedAt: string | null;
}

export type StatusCounts = Record<SweepStatus, number>;
export type SubnetStatusCounts = Record<SubnetStatus, number>;
export type EgressStatusCounts = Record<EgressStatus, number>;

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
  /** How many rows carry each egress status (all zero unless the egress was checked). */
  readonly egressSummary: EgressStatusCounts;
  /** Some drift was left as `would-*` because the run reached its cap of repairs. */
  readonly repairCapReached: boolean;
  readonly results: readonly SweepResult[];
  /** The OU each account was listed under (a target OU or one below it); absent for accounts named by id or found by ListAccounts. */
  readonly accountOus?: Readonly<Record<string, string>>;
  /** The names of those OUs, where known. */
  readonly ouNames?: Readonly<Record<string, string>>;
}

/** The report with the OUs of its own accounts (none of accounts it has no row of), and their names. */
export function withAccountOus(
  report: SweepReport,
  accountOus: Readonly<Record<string, string>> | undefined,
  ouNames: Readonly<Record<string, string>> = {},
): SweepReport {
  if (!accountOus) return report;
  const accounts = new Set(report.results.map((row) => row.accountId));
  const entries = Object.entries(accountOus).filter(([accountId]) => accounts.has(accountId));
  if (entries.length === 0) return report;
  const ous = new Set(entries.map(([, ouId]) => ouId));
  const names = Object.entries(ouNames).filter(([ouId]) => ous.has(ouId));
  return {
    ...report,
    accountOus: Object.fromEntries(entries),
    ...(names.length > 0 ? { ouNames: Object.fromEntries(names) } : {}),
  };
}

/** The OUs of the accounts that have one, for the report; `undefined` when none has. */
export function accountOusOf(
  accounts: readonly { readonly id: string; readonly ouId?: string | undefined }[],
): Readonly<Record<string, string>> | undefined {
  const entries = accounts.flatMap((account) => (account.ouId ? [[account.id, account.ouId] as const] : []));
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
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

export function countByEgressStatus(results: readonly SweepResult[]): EgressStatusCounts {
  const counts = Object.fromEntries(EGRESS_STATUSES.map((status) => [status, 0])) as EgressStatusCounts;
  for (const result of results) if (result.egress) counts[result.egress.status] += 1;
  return counts;
}

/** Every status of the row: its route's, then its default subnets' and its egress', when checked. */
export function statusesOf(result: SweepResult): RowStatus[] {
  return [
    result.status,
    ...(result.subnets ? [result.subnets.status] : []),
    ...(result.egress ? [result.egress.status] : []),
    ...(result.protection ? [result.protection.status] : []),
  ];
}

/** The row's statuses that leave something broken or unverified (route, subnets, egress). */
export function unresolvedStatusesOf(result: SweepResult): RowStatus[] {
  return statusesOf(result).filter((status) => UNRESOLVED_STATUSES.has(status));
}

/**
 * Something of the row had drifted, whatever became of it: a drift status, default subnets
 * created on a row left with findings, or egress found stripped (even if someone else put it back
 * during the repair).
 */
export function hasDrifted(result: SweepResult): boolean {
  return (
    statusesOf(result).some((status) => DRIFT_STATUSES.has(status)) ||
    (result.subnets?.zonesRepaired.length ?? 0) > 0 ||
    egressFoundBlocked(result)
  );
}

/** The egress was found stripped (a blocked finding), whatever became of it. */
export function egressFoundBlocked(result: SweepResult): boolean {
  return result.egress?.findings.some((finding) => finding.state === 'blocked') ?? false;
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
    egressSummary: countByEgressStatus(sorted),
    repairCapReached,
    results: sorted,
  };
}

/** 0 when nothing is left broken or unverified; 1 otherwise. */
export function exitCodeFor(report: SweepReport): 0 | 1 {
  return report.results.some((result) => unresolvedStatusesOf(result).length > 0) ? 1 : 0;
}
