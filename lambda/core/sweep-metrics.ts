import type { SweepReport } from './report';
import { DRIFT_STATUSES, REPAIRED_STATUSES } from './statuses';

export const SERVICE_NAME = 'account-janitor';
export const METRICS_NAMESPACE = 'AccountJanitor';
/** Every metric carries this dimension, besides Powertools' `service` (= SERVICE_NAME). */
export const MODE_DIMENSION = 'Mode';

/** The CloudWatch metrics of one sweep (namespace AccountJanitor, dimension Mode), from its report. */
export const METRIC_NAMES = [
  'AccountsScanned',
  'TargetsChecked',
  'DriftDetected',
  'RoutesRepaired',
  'RepairsFailed',
  'AccountErrors',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export function sweepMetrics(report: SweepReport): Record<MetricName, number> {
  const { results } = report;
  const distinctAccounts = (keep: (status: string) => boolean) =>
    new Set(results.filter((result) => keep(result.status)).map((result) => result.accountId)).size;
  return {
    /** Accounts the janitor tried to enter (skipped ones excluded). */
    AccountsScanned: distinctAccounts((status) => status !== 'skipped'),
    /** Account-regions whose default VPC was looked at (disabled regions excluded). */
    TargetsChecked: results.filter((result) => result.region !== null && result.status !== 'region-disabled').length,
    /** Routes found missing or stale, repaired or not. */
    DriftDetected: results.filter((result) => DRIFT_STATUSES.has(result.status)).length,
    RoutesRepaired: results.filter((result) => REPAIRED_STATUSES.has(result.status)).length,
    RepairsFailed: results.filter((result) => result.status === 'repair-failed').length,
    /** Accounts that could not be entered or read: access-denied, or a read error. */
    AccountErrors: distinctAccounts((status) => status === 'access-denied' || status === 'error'),
  };
}
