/**
 * Every status a row of the sweep report can carry, and what it means, in one table: which part of
 * the row it is (the account, the account-region's route, its default subnets, egress or
 * protection), the group the table, the Markdown and the digest list it under, whether it leaves
 * something broken (exit code 1), whether it means drift was found, whether it repaired the route.
 * The lists the code uses are derived from it, so a new status is classified once, here, and the
 * compiler asks for every field.
 */

/** The groups of rows that need a person or changed, worst first (report/attention.ts titles them). */
export type AttentionGroupKey =
  'failed' | 'not-checked' | 'conflict' | 'left-by-responder' | 'broken' | 'would-repair' | 'findings' | 'repaired';

interface StatusTraits {
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
  /** Tagged account-janitor:ignore: left alone, and listed in every digest (whoever tags silences the janitor). */
  readonly ignored?: true;
}

const quiet = { group: null, unresolved: false, drift: false } as const;
const failed = { group: 'failed', unresolved: true } as const;
const wouldRepair = { group: 'would-repair', unresolved: true, drift: true } as const;
const repaired = { group: 'repaired', unresolved: false, drift: true } as const;
const routeRepair = { ...repaired, routeRepaired: true, routeChange: true } as const;
const routeWouldRepair = { ...wouldRepair, routeChange: true } as const;

export const STATUS_TRAITS = {
  // A whole account.
  skipped: { part: 'account', ...quiet },
  // The member role may not be assumed, or (a region's too) may not read there.
  'access-denied': { part: 'account', ...failed, drift: false, failure: 'read' },

  // An account-region's route.
  ok: { part: 'target', ...quiet },
  restored: { part: 'target', ...routeRepair },
  replaced: { part: 'target', ...routeRepair },
  'would-restore': { part: 'target', ...routeWouldRepair },
  'would-replace': { part: 'target', ...routeWouldRepair },
  // Opt-in repairs of the rest of the default network path (repairInternetGateway, recreateDefaultVpc).
  'gateway-restored': { part: 'target', ...routeRepair },
  'would-restore-gateway': { part: 'target', ...routeWouldRepair },
  'vpc-recreated': { part: 'target', ...routeRepair },
  'would-recreate-vpc': { part: 'target', ...routeWouldRepair },
  // A human pointed 0.0.0.0/0 elsewhere: left alone.
  conflict: { part: 'target', group: 'conflict', unresolved: true, drift: false },
  // Drift a principal of respectPrincipals caused (incident response, break-glass): left as they made it.
  'left-by-responder': { part: 'target', group: 'left-by-responder', unresolved: true, drift: true },
  'no-internet-gateway': { part: 'target', group: 'broken', unresolved: true, drift: false },
  'no-default-vpc': { part: 'target', ...quiet },
  ignored: { part: 'target', ...quiet, ignored: true },
  // The region is not enabled for the account (OptInRequired, AuthFailure): expected, not an error.
  'region-disabled': { part: 'target', ...quiet },
  // A service control policy denies the region (a region-deny SCP): expected, reported with the reason.
  'region-denied': { part: 'target', ...quiet },
  'repair-failed': { part: 'target', ...failed, drift: true, failure: 'repair' },
  error: { part: 'target', ...failed, drift: false, failure: 'read' },
  // Not reached before the deadline (also a whole-account status: the account was never entered).
  'not-checked': { part: 'target', group: 'not-checked', unresolved: true, drift: false },

  // The default subnets, when checked (checkDefaultSubnets, repairDefaultSubnets).
  // Every available zone has a default subnet, and none of them is misconfigured.
  'subnets-ok': { part: 'subnets', ...quiet, healthy: true },
  // repairDefaultSubnets: CreateDefaultSubnet in the zones listed, verified.
  'subnets-restored': { part: 'subnets', ...repaired },
  // The same in a dry run, or beyond the repair cap.
  'would-restore-subnets': { part: 'subnets', ...wouldRepair },
  // Zones without a default subnet, and repairDefaultSubnets is off.
  'subnets-missing': { part: 'subnets', group: 'broken', unresolved: true, drift: true },
  // A default subnet without public IPs on launch, or explicitly routed away from the gateway (report only).
  'subnets-misconfigured': { part: 'subnets', group: 'findings', unresolved: true, drift: false },
  'subnets-repair-failed': { part: 'subnets', ...failed, drift: true, failure: 'repair' },
  // The subnet reads failed (e.g. the member role lacks ec2:DescribeSubnets): the route was still checked.
  'subnets-error': { part: 'subnets', ...failed, drift: false, failure: 'read' },

  // The default security group's egress and the default network ACL, when checked (checkEgress, repairEgress).
  // The group lets all traffic out to 0.0.0.0/0, and the ACL allows all traffic both ways.
  'egress-ok': { part: 'egress', ...quiet, healthy: true },
  // repairEgress: AWS's default allow put back where a clean-up stripped it, verified.
  'egress-restored': { part: 'egress', ...repaired },
  // The same in a dry run, or beyond the repair cap.
  'would-restore-egress': { part: 'egress', ...wouldRepair },
  // The group has no egress rule, or an ACL direction only its final deny, and repairEgress is off.
  'egress-blocked': { part: 'egress', group: 'broken', unresolved: true, drift: true },
  // A human narrowed them (rules remain, not all traffic): reported, never changed.
  'egress-restricted': { part: 'egress', group: 'findings', unresolved: false, drift: false },
  // The group and the ACL are both tagged account-janitor:ignore=true.
  'egress-ignored': { part: 'egress', ...quiet, ignored: true },
  'egress-repair-failed': { part: 'egress', ...failed, drift: true, failure: 'repair' },
  // The reads failed (e.g. the member role lacks ec2:DescribeSecurityGroups): the route was still checked.
  'egress-error': { part: 'egress', ...failed, drift: false, failure: 'read' },

  // The guard rail's tag on the default path (protectDefaultPath audit or enforce).
  // Every resource of the default path carries account-janitor:protected=true (this run's tags verified).
  protected: { part: 'protection', ...quiet, healthy: true },
  // Some do not, and this run did not tag them: report mode, or beyond the repair cap.
  'would-protect': { part: 'protection', ...quiet, healthy: true },
  // CreateTags failed, or the tags did not show afterwards (counted by no failure metric: not a repair).
  'protect-failed': { part: 'protection', ...failed, drift: false },
} as const satisfies Record<string, StatusTraits>;

type Traits = typeof STATUS_TRAITS;
/** Any status a row carries: its route's (or account's), its default subnets', its egress', its protection's. */
export type RowStatus = keyof Traits;
/** The statuses of one part (`account`, `target`, or a row part's key). */
export type StatusOfPart<P extends string> = {
  [S in RowStatus]: Traits[S]['part'] extends P ? S : never;
}[RowStatus];
/** The parts of a row besides its route: the `part` of their statuses (row-parts.ts defines each). */
export type PartKey = Exclude<Traits[RowStatus]['part'], 'account' | 'target'>;

export type AccountStatus = StatusOfPart<'account'>;
export type TargetStatus = StatusOfPart<'target'>;
export type SweepStatus = AccountStatus | TargetStatus;
export type SubnetStatus = StatusOfPart<'subnets'>;
export type EgressStatus = StatusOfPart<'egress'>;
export type ProtectionStatus = StatusOfPart<'protection'>;

const ALL = Object.keys(STATUS_TRAITS) as RowStatus[];
const traitsOf = (status: RowStatus): StatusTraits => STATUS_TRAITS[status];
const ofPart = <S extends RowStatus>(part: string) => ALL.filter((status) => traitsOf(status).part === part) as S[];
const where = <S extends RowStatus>(test: (traits: StatusTraits) => boolean): ReadonlySet<S> =>
  new Set(ALL.filter((status) => test(traitsOf(status))) as S[]);

export const ACCOUNT_STATUSES: readonly AccountStatus[] = ofPart('account');
export const TARGET_STATUSES: readonly TargetStatus[] = ofPart('target');
export const SWEEP_STATUSES: readonly SweepStatus[] = [...ACCOUNT_STATUSES, ...TARGET_STATUSES];
export const SUBNET_STATUSES: readonly SubnetStatus[] = ofPart('subnets');
export const EGRESS_STATUSES: readonly EgressStatus[] = ofPart('egress');
export const PROTECTION_STATUSES: readonly ProtectionStatus[] = ofPart('protection');

/** The statuses of a row part, in the table's order. */
export const statusesOfPart = <K extends PartKey>(part: K): readonly StatusOfPart<K>[] => ofPart(part);

/** Statuses that leave something broken or unverified: any of them makes the CLI exit 1. */
export const UNRESOLVED_STATUSES = where((traits) => traits.unresolved);
/** Statuses that mean the route, gateway, VPC, a default subnet or the egress had drifted, whatever became of it. */
export const DRIFT_STATUSES = where((traits) => traits.drift);
/** The route, its gateway or its VPC repaired. */
export const REPAIRED_STATUSES = where<SweepStatus>((traits) => traits.routeRepaired === true);
/** Statuses that changed, or would change, the route: their digest line says before → after. */
export const ROUTE_CHANGE_STATUSES = where((traits) => traits.routeChange === true);
/** A read failed (the account, the region, or a part's reads): `AccountErrors`. */
export const READ_FAILURE_STATUSES = where((traits) => traits.failure === 'read');
/** A repair failed or was not verified: `RepairsFailed`. */
export const REPAIR_FAILURE_STATUSES = where((traits) => traits.failure === 'repair');
/** Tagged account-janitor:ignore. */
export const IGNORED_STATUSES = where((traits) => traits.ignored === true);
/** A part's healthy states: a row shows them only when there is nothing else. */
export const HEALTHY_PART_STATUSES = where((traits) => traits.healthy === true);

/** The statuses listed under a group. */
export function statusesOfGroup(group: AttentionGroupKey): RowStatus[] {
  return ALL.filter((status) => traitsOf(status).group === group);
}
