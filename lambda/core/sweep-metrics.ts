import { hasDrifted, statusesOf, type SweepReport, type SweepResult } from './report';
import { PART_KEYS, ROW_PARTS, rowPart, type PartMetricName } from './row-parts';
import { READ_FAILURE_STATUSES, REFUSED_STATUSES, REPAIR_FAILURE_STATUSES, REPAIRED_STATUSES } from './statuses';

export const SERVICE_NAME = 'account-janitor';
export const METRICS_NAMESPACE = 'AccountJanitor';
/** Every metric carries this dimension, besides Powertools' `service` (= SERVICE_NAME). */
export const MODE_DIMENSION = 'Mode';

/**
 * The CloudWatch metrics of one sweep (namespace AccountJanitor, dimension Mode), from its report,
 * each with what it counts: docs/lambda.md's table is made from these (`npm run docs`).
 */
export const METRICS = {
  AccountsScanned: 'accounts the janitor tried to enter (skipped ones not counted)',
  TargetsChecked: 'account-regions whose default VPC was read (disabled, denied and access-denied regions not counted)',
  DriftDetected:
    'account-regions whose route (or, opted in, gateway, default VPC, default subnets or egress) was found missing, stale or stripped, whatever became of it',
  RoutesRepaired: '`restored`, `replaced`, `gateway-restored`, `vpc-recreated`',
  RepairsFailed:
    'account-regions with `repair-failed`, `subnets-repair-failed` or `egress-repair-failed`, or a repair refused by a policy (`repair-refused`, `subnets-repair-refused`, `egress-repair-refused`)',
  WritesRefused:
    'account-regions where a policy refused a write of the janitor (`repair-refused`, `subnets-repair-refused`, `egress-repair-refused`, `protect-refused`): exempt its write role there',
  AccountErrors:
    'accounts with `access-denied` (the account, or any of its regions) or `error` rows, or `subnets-error` default subnets, or `egress-error`',
  SweepIncomplete: '1 when the deadline left rows `not-checked`',
  RepairCapReached: '1 when the repair cap left drift unrepaired',
  SubnetsRepaired: 'default subnets created (one per zone)',
  SubnetsMisconfigured: 'account-regions with a report-only default subnet finding',
  EgressBlocked:
    'account-regions whose default security group or network ACL was found stripped (`egress-blocked`), whatever became of it',
  EgressRepaired:
    'account-regions where this run put back at least one egress rule, seen in a re-read (a partly repaired `egress-repair-failed` row counts too)',
  TargetsIgnored: 'account-regions left alone for the `account-janitor:ignore` tag',
  RegionsDisabled: 'account-regions not checked: `region-disabled` (not enabled) and `region-denied` (an SCP)',
  GuardRailWouldBlock:
    '`protectDefaultPath=audit`: account-regions whose breaking call hit a tagged resource (the SCP would have refused it)',
  GuardRailBlocked: '`protectDefaultPath=enforce`: breaking calls the guard rail refused, heard by the event path',
  DefaultPathTagged: 'resources this run tagged `account-janitor:protected` (`protectDefaultPath`), verified',
  PathBlockedByBpa:
    'account-regions whose route is there but VPC Block Public Access keeps the default VPC off the internet (`bpa-blocked`)',
  PathRouteShadowed:
    'account-regions whose main route table has a more specific route that takes public addresses from the gateway (`route-shadowed`)',
  PathSubnetOffPath:
    'account-regions with a default subnet explicitly associated with a table whose 0.0.0.0/0 does not go to the gateway (`subnet-off-path`)',
  LeftByResponderOverdue:
    'account-regions `left-by-responder` for longer than `respectFor` (default 7 days): a containment that needs a person again',
} as const satisfies Record<string, string>;

/** The metrics' names, in the table's order. */
export const METRIC_NAMES = Object.keys(METRICS) as readonly MetricName[];
export type MetricName = keyof typeof METRICS;

// Every metric a part adds is one of the run's.
const partMetricsAreListed: PartMetricName extends MetricName ? true : never = true;
void partMetricsAreListed;

/** Rows of a region whose default VPC was not looked at. */
const NOT_LOOKED_AT: ReadonlySet<SweepResult['status']> = new Set([
  'region-disabled',
  'region-denied',
  'access-denied',
  'not-checked',
]);

/**
 * `TimeToRepair`: for each repair whose breaking call is known, the seconds from that call to the
 * verified repair. Published as one value per repair (the dashboard shows p50 and max).
 */
export const TIME_TO_REPAIR_METRIC = 'TimeToRepair';

/**
 * The run's repairs again, by what started it: `EventRepairs` for a targeted repair (the event
 * path), `NightlyRepairs` for the schedule's run; a run started by hand publishes neither. The
 * dashboard sets the two side by side.
 */
export const REPAIRS_BY_TRIGGER_METRICS = { event: 'EventRepairs', schedule: 'NightlyRepairs' } as const;

/** Repairs of a run: routes (with gateways and VPCs), and each part's (default subnets created, egress put back). */
export function repairsOf(report: SweepReport): number {
  const values = sweepMetrics(report);
  const partRepairs = PART_KEYS.map((key) => ROW_PARTS[key].repairsMetric).filter((name) => name !== null);
  return partRepairs.reduce((total, name) => total + values[name], values.RoutesRepaired);
}

export function timesToRepair(report: SweepReport): number[] {
  return report.results.flatMap((result) => {
    if (!result.cause || !result.repairedAt) return [];
    const seconds = (Date.parse(result.repairedAt) - Date.parse(result.cause.eventTime)) / 1000;
    return Number.isFinite(seconds) && seconds >= 0 ? [Math.round(seconds)] : [];
  });
}

/** The metrics the row parts add (PartMetricName), each over the rows that carry its part. */
function partMetrics(results: readonly SweepResult[]): Record<PartMetricName, number> {
  const values: Partial<Record<PartMetricName, number>> = {};
  for (const key of PART_KEYS) {
    const carried = results.flatMap((result) => (result[key] ? [result[key]] : []));
    for (const [name, metric] of Object.entries(rowPart(key).metrics) as [PartMetricName, (r: never) => number][]) {
      values[name] = (values[name] ?? 0) + metric(carried as never);
    }
  }
  return values as Record<PartMetricName, number>;
}

export function sweepMetrics(report: SweepReport): Record<MetricName, number> {
  const { results } = report;
  const parts = partMetrics(results);
  const any = (result: SweepResult, statuses: ReadonlySet<string>) =>
    statusesOf(result).some((status) => statuses.has(status));
  const distinctAccounts = (keep: (result: SweepResult) => boolean) =>
    new Set(results.filter(keep).map((result) => result.accountId)).size;
  const notEntered = (result: SweepResult) =>
    result.status === 'skipped' || (result.status === 'not-checked' && result.region === null);
  return {
    /** Accounts the janitor tried to enter (skipped ones, and ones the deadline left, excluded). */
    AccountsScanned: new Set(results.filter((result) => !notEntered(result)).map((result) => result.accountId)).size,
    /** Account-regions whose default VPC was looked at (disabled and not-reached regions excluded). */
    TargetsChecked: results.filter((result) => result.region !== null && !NOT_LOOKED_AT.has(result.status)).length,
    /**
     * Account-regions whose route, gateway, default VPC, default subnets or egress were found
     * missing, stale or stripped, repaired or not.
     */
    DriftDetected: results.filter(hasDrifted).length,
    RoutesRepaired: results.filter((result) => REPAIRED_STATUSES.has(result.status)).length,
    /** Account-regions where a repair (route, gateway, VPC, or a part's) failed or was not verified. */
    RepairsFailed: results.filter((result) => any(result, REPAIR_FAILURE_STATUSES)).length,
    /** Account-regions where a policy refused one of the janitor's writes (a repair's, or the guard rail's tag). */
    WritesRefused: results.filter((result) => any(result, REFUSED_STATUSES)).length,
    /** Accounts that could not be entered or read: access-denied, or a read error (the parts' too). */
    AccountErrors: distinctAccounts((result) => any(result, READ_FAILURE_STATUSES)),
    /** 1 when the deadline left targets `not-checked`. */
    SweepIncomplete: results.some((result) => result.status === 'not-checked') ? 1 : 0,
    /** 1 when drift was left unrepaired because the run reached maxRepairsPerRun. */
    RepairCapReached: report.repairCapReached ? 1 : 0,
    ...parts,
    /** Account-regions left alone because their default VPC or main route table is tagged account-janitor:ignore. */
    TargetsIgnored: results.filter((result) => result.status === 'ignored').length,
    /** Account-regions not checked because the region is not enabled for the account, or an SCP denies it. */
    RegionsDisabled: results.filter(
      (result) => result.status === 'region-disabled' || result.status === 'region-denied',
    ).length,
    /** protectDefaultPath=audit: account-regions whose breaking call hit a tagged resource (the SCP would have refused it). */
    GuardRailWouldBlock: results.filter((result) => result.wouldBlock).length,
    /** protectDefaultPath=enforce: breaking calls the guard rail refused (heard by the event path). */
    GuardRailBlocked: results.reduce((sum, result) => sum + (result.guardRailBlocked?.length ?? 0), 0),
    /** respectPrincipals: account-regions left as a responder made them for longer than respectFor. */
    LeftByResponderOverdue: results.filter((result) => result.respectOverdue).length,
  };
}
