/**
 * Every status a row of the sweep report can carry, and what it means, in one table: which part of
 * the row it is, the group the table, the Markdown and the digest list it under, whether it leaves
 * something broken (exit code 1), whether it means drift was found, and one line of documentation
 * (docs/statuses.md's table is made from it). statuses.ts derives the types and lists the code uses.
 */

/** The groups of rows that need a person or changed, worst first (report/attention.ts titles them). */
export type AttentionGroupKey =
  'failed' | 'not-checked' | 'conflict' | 'left-by-responder' | 'broken' | 'would-repair' | 'findings' | 'repaired';

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
  /** Tagged account-janitor:ignore: left alone, and listed in every digest (whoever tags silences the janitor). */
  readonly ignored?: true;
  /** When a row carries it, in one line: docs/statuses.md's table is made from these. */
  readonly doc: string;
}

const quiet = { group: null, unresolved: false, drift: false } as const;
const failed = { group: 'failed', unresolved: true } as const;
const wouldRepair = { group: 'would-repair', unresolved: true, drift: true } as const;
const repaired = { group: 'repaired', unresolved: false, drift: true } as const;
const routeRepair = { ...repaired, routeRepaired: true, routeChange: true } as const;
const routeWouldRepair = { ...wouldRepair, routeChange: true } as const;

export const STATUS_TRAITS = {
  // A whole account.
  skipped: {
    part: 'account',
    ...quiet,
    doc: 'suspended, excluded, the management account, or an id that is not in the organization (with the reason)',
  },
  'access-denied': {
    part: 'account',
    ...failed,
    drift: false,
    failure: 'read',
    doc: 'the member role may not be assumed, or may not read there (AssumeRole, DescribeRegions, or a region’s reads answered `AccessDenied`/`UnauthorizedOperation`); the row names the action and the code',
  },

  // An account-region's route.
  ok: { part: 'target', ...quiet, doc: '0.0.0.0/0 targets the internet gateway attached to the default VPC' },
  restored: { part: 'target', ...routeRepair, doc: 'the route was missing: created (CreateRoute) and verified' },
  replaced: {
    part: 'target',
    ...routeRepair,
    doc: 'the route named a gateway that is gone or attached elsewhere, or was a blackhole: replaced (ReplaceRoute) and verified',
  },
  'would-restore': { part: 'target', ...routeWouldRepair, doc: '`restored`, in a dry run or beyond the repair cap' },
  'would-replace': { part: 'target', ...routeWouldRepair, doc: '`replaced`, in a dry run or beyond the repair cap' },
  'gateway-restored': {
    part: 'target',
    ...routeRepair,
    doc: 'opt-in `repairInternetGateway`: no gateway was attached; one was created (tagged), attached and routed to, verified',
  },
  'would-restore-gateway': {
    part: 'target',
    ...routeWouldRepair,
    doc: '`gateway-restored`, in a dry run or beyond the repair cap',
  },
  'vpc-recreated': {
    part: 'target',
    ...routeRepair,
    doc: 'opt-in `recreateDefaultVpc`: the region had no default VPC; CreateDefaultVpc, then its gateway and route as needed, verified',
  },
  'would-recreate-vpc': {
    part: 'target',
    ...routeWouldRepair,
    doc: '`vpc-recreated`, in a dry run or beyond the repair cap',
  },
  conflict: {
    part: 'target',
    group: 'conflict',
    unresolved: true,
    drift: false,
    doc: 'the route is active and targets something else (NAT, peering, TGW, ENI…): a person chose it, left alone',
  },
  'left-by-responder': {
    part: 'target',
    group: 'left-by-responder',
    unresolved: true,
    drift: true,
    doc: 'with `respectPrincipals`: one of those principals (incident response, break-glass) made the drift; nothing in the account-region is repaired',
  },
  'no-internet-gateway': {
    part: 'target',
    group: 'broken',
    unresolved: true,
    drift: false,
    doc: 'no gateway is attached to the default VPC, and `repairInternetGateway` is off',
  },
  'no-default-vpc': {
    part: 'target',
    ...quiet,
    doc: 'the region has no default VPC (many organizations delete it on purpose), and `recreateDefaultVpc` is off',
  },
  ignored: {
    part: 'target',
    ...quiet,
    ignored: true,
    doc: 'the default VPC or its main route table is tagged `account-janitor:ignore` = `true`',
  },
  'region-disabled': {
    part: 'target',
    ...quiet,
    doc: 'the region is not enabled for the account (`OptInRequired`, `AuthFailure`): expected, not an error',
  },
  'region-denied': {
    part: 'target',
    ...quiet,
    doc: 'a service control policy denies the region (a region-deny SCP): expected, reported with the reason',
  },
  'repair-failed': {
    part: 'target',
    ...failed,
    drift: true,
    failure: 'repair',
    doc: 'a write, or its verification, failed (with the AWS error code)',
  },
  error: {
    part: 'target',
    ...failed,
    drift: false,
    failure: 'read',
    doc: 'a read failed after retries (with the AWS error code)',
  },
  'not-checked': {
    part: 'target',
    group: 'not-checked',
    unresolved: true,
    drift: false,
    doc: 'the run’s deadline came before this account-region (or account) was started',
  },

  // The default subnets, when checked (the defaultSubnets switch).
  'subnets-ok': {
    part: 'subnets',
    ...quiet,
    healthy: true,
    doc: 'every available zone has a default subnet, and none of them is misconfigured',
  },
  'subnets-restored': {
    part: 'subnets',
    ...repaired,
    doc: '`defaultSubnets=repair`: CreateDefaultSubnet in the zones listed, verified',
  },
  'would-restore-subnets': {
    part: 'subnets',
    ...wouldRepair,
    doc: '`subnets-restored`, in a dry run or beyond the repair cap',
  },
  'subnets-missing': {
    part: 'subnets',
    group: 'broken',
    unresolved: true,
    drift: true,
    doc: 'zones without a default subnet, and the switch only checks',
  },
  'subnets-misconfigured': {
    part: 'subnets',
    group: 'findings',
    unresolved: true,
    drift: false,
    doc: 'a default subnet without public IPs on launch, or explicitly routed away from the gateway: report only',
  },
  'subnets-repair-failed': {
    part: 'subnets',
    ...failed,
    drift: true,
    failure: 'repair',
    doc: 'a CreateDefaultSubnet, or its verification, failed (with the AWS error code)',
  },
  'subnets-error': {
    part: 'subnets',
    ...failed,
    drift: false,
    failure: 'read',
    doc: 'the subnet reads failed (e.g. the member role lacks `ec2:DescribeSubnets`); the route was still checked',
  },

  // The default security group's egress and the default network ACL, when checked (the egress switch).
  'egress-ok': {
    part: 'egress',
    ...quiet,
    healthy: true,
    doc: 'the default security group lets all traffic out to 0.0.0.0/0, and the default network ACL allows all traffic both ways',
  },
  'egress-restored': {
    part: 'egress',
    ...repaired,
    doc: '`egress=repair`: AWS’s default allow put back where a clean-up stripped it, verified',
  },
  'would-restore-egress': {
    part: 'egress',
    ...wouldRepair,
    doc: '`egress-restored`, in a dry run or beyond the repair cap',
  },
  'egress-blocked': {
    part: 'egress',
    group: 'broken',
    unresolved: true,
    drift: true,
    doc: 'the group has no egress rule, or an ACL direction only its final deny, and the switch only checks',
  },
  'egress-restricted': {
    part: 'egress',
    group: 'findings',
    unresolved: false,
    drift: false,
    doc: 'a person narrowed them (rules remain, not all traffic): reported, never changed',
  },
  'egress-ignored': {
    part: 'egress',
    ...quiet,
    ignored: true,
    doc: 'the group and the ACL are both tagged `account-janitor:ignore` = `true`',
  },
  'egress-repair-failed': {
    part: 'egress',
    ...failed,
    drift: true,
    failure: 'repair',
    doc: 'a write putting the egress back, or its verification, failed (with the AWS error code)',
  },
  'egress-error': {
    part: 'egress',
    ...failed,
    drift: false,
    failure: 'read',
    doc: 'the reads failed (e.g. the member role lacks `ec2:DescribeSecurityGroups`); the route was still checked',
  },

  // The guard rail's tag on the default path (protectDefaultPath audit or enforce).
  protected: {
    part: 'protection',
    ...quiet,
    healthy: true,
    doc: 'every resource of the default path carries `account-janitor:protected` = `true` (this run’s tags verified)',
  },
  'would-protect': {
    part: 'protection',
    ...quiet,
    healthy: true,
    doc: 'some do not, and this run did not tag them: report mode, or beyond the repair cap',
  },
  // Counted by no failure metric: tagging is not a repair.
  'protect-failed': {
    part: 'protection',
    ...failed,
    drift: false,
    doc: 'CreateTags failed, or the tags did not show afterwards (with the AWS error code)',
  },
} as const satisfies Record<string, StatusTraits>;
