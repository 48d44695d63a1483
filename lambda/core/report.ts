import type { Mode } from '../config/schema';
import type { Cause } from './who-broke-it';
import type { GuardRailEntry } from './plan-protection';
import { PART_KEYS, partsFoundDrift, partsOf, ROW_PARTS, type RowPartFields } from './row-parts';
import {
  DRIFT_STATUSES,
  statusesOfPart,
  SWEEP_STATUSES,
  UNRESOLVED_STATUSES,
  type PartKey,
  type RowStatus,
  type StatusOfPart,
  type SweepStatus,
} from './statuses';

export type { EgressResult, ProtectionResult, SubnetsResult } from './row-parts';

/**
 * One row of the report: an account-region, or a whole account (`region: null`). Besides the route,
 * a field per row part (row-parts.ts): `subnets`, `egress` (`null` unless checked and a default VPC
 * was read), `protection` (absent unless protectDefaultPath is audit or enforce).
 */
export interface SweepResult extends RowPartFields {
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
  /** protectDefaultPath=audit: the breaking call of this row hit a protected resource; the guard rail would have refused it. */
  readonly wouldBlock?: GuardRailEntry | null;
  /** protectDefaultPath=enforce: breaking calls the guard rail refused here (a clean-up that needs fixing). */
  readonly guardRailBlocked?: readonly GuardRailEntry[];
  /** `left-by-responder` for longer than respectFor: the responder's change needs a person again. */
  readonly respectOverdue?: true;
  /** Who broke it: the breaking call CloudTrail shows for a drifted row (`null`: not looked up, or none found). */
  readonly cause: Cause | null;
  /** When the repair of this row was verified (ISO 8601); `null` when nothing was repaired. */
  readonly repairedAt: string | null;
}

export type StatusCounts = Record<SweepStatus, number>;

/** The parts that keep a count of their statuses in the report, by the report's key. */
type SummarisedPart = { [K in PartKey]: (typeof ROW_PARTS)[K]['summaryKey'] extends null ? never : K }[PartKey];
/** Each summarised part's counts: `subnetSummary`, `egressSummary`. */
export type PartSummaries = {
  readonly [K in SummarisedPart as NonNullable<(typeof ROW_PARTS)[K]['summaryKey']>]: Record<StatusOfPart<K>, number>;
};

/** Where a run ran: the organization it found and the account of its credentials. */
export interface RunIdentity {
  readonly organizationId: string | null;
  readonly callerAccountId: string | null;
}

export interface SweepReport extends RunIdentity, PartSummaries {
  readonly mode: Mode;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** How many rows carry each status (every status is listed, zeros included). */
  readonly summary: StatusCounts;
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

/** How many rows carry each status of a part (all zero unless the part was checked). */
export function countByPartStatus<K extends PartKey>(key: K, results: readonly SweepResult[]) {
  const counts = Object.fromEntries(statusesOfPart(key).map((status) => [status, 0])) as Record<
    StatusOfPart<K>,
    number
  >;
  for (const result of results) {
    const part = result[key];
    if (part) counts[part.status as StatusOfPart<K>] += 1;
  }
  return counts;
}

/** Every status of the row: its route's, then each part's that was checked. */
export function statusesOf(result: SweepResult): RowStatus[] {
  return [result.status, ...partsOf(result).map((part) => part.result.status)];
}

/** The row's statuses that leave something broken or unverified (route, subnets, egress). */
export function unresolvedStatusesOf(result: SweepResult): RowStatus[] {
  return statusesOf(result).filter((status) => UNRESOLVED_STATUSES.has(status));
}

/**
 * Something of the row had drifted, whatever became of it: a drift status, or drift a part found
 * beyond its status (default subnets created on a row left with findings, egress found stripped
 * even if someone else put it back during the repair).
 */
export function hasDrifted(result: SweepResult): boolean {
  return statusesOf(result).some((status) => DRIFT_STATUSES.has(status)) || partsFoundDrift(result);
}

/** Each summarised part's counts of the rows. */
function partSummaries(results: readonly SweepResult[]): PartSummaries {
  return Object.fromEntries(
    PART_KEYS.flatMap((key) => {
      const { summaryKey } = ROW_PARTS[key];
      return summaryKey ? [[summaryKey, countByPartStatus(key, results)]] : [];
    }),
  ) as unknown as PartSummaries;
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
    ...partSummaries(sorted),
    repairCapReached,
    results: sorted,
  };
}

/** 0 when nothing is left broken or unverified; 1 otherwise. */
export function exitCodeFor(report: SweepReport): 0 | 1 {
  return report.results.some((result) => unresolvedStatusesOf(result).length > 0) ? 1 : 0;
}

/** What a finished run came to, as the JSON report's `outcome` says it: `ok` (exit 0) or `attention` (exit 1). */
export type FinishedOutcome = 'ok' | 'attention';

export function outcomeFor(report: SweepReport): FinishedOutcome {
  return exitCodeFor(report) === 0 ? 'ok' : 'attention';
}

/** The report as the CLI prints it with `--json` (and the library call returns it): its outcome first. */
export type ReportJson = { readonly outcome: FinishedOutcome } & SweepReport;

export function reportJson(report: SweepReport): ReportJson {
  return { outcome: outcomeFor(report), ...report };
}
