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
  // Drift a principal of respectPrincipals caused (incident response, break-glass): left as they made it.
  'left-by-responder',
  'no-internet-gateway',
  'no-default-vpc',
  'ignored',
  // The region is not enabled for the account (OptInRequired, AuthFailure): expected, not an error.
  'region-disabled',
  // A service control policy denies the region (a region-deny SCP): expected, reported with the reason.
  'region-denied',
  'repair-failed',
  'error',
  // Not reached before the deadline (also a whole-account status: the account was never entered).
  'not-checked',
] as const;

/**
 * Statuses of a whole account (a row whose region is null). `access-denied` is also a region's:
 * the member role was assumed but may not read there (its policy was detached or edited).
 */
export const ACCOUNT_STATUSES = ['skipped', 'access-denied'] as const;

export const SWEEP_STATUSES = [...ACCOUNT_STATUSES, ...TARGET_STATUSES] as const;

/**
 * The default subnets of an account-region, a second status on its row, set only when they are
 * checked (checkDefaultSubnets or repairDefaultSubnets): the route status above stays the route's.
 */
export const SUBNET_STATUSES = [
  // Every available zone has a default subnet, and none of them is misconfigured.
  'subnets-ok',
  // repairDefaultSubnets: CreateDefaultSubnet in the zones listed, verified.
  'subnets-restored',
  // The same in a dry run, or beyond the repair cap.
  'would-restore-subnets',
  // Zones without a default subnet, and repairDefaultSubnets is off.
  'subnets-missing',
  // A default subnet without public IPs on launch, or explicitly routed away from the gateway (report only).
  'subnets-misconfigured',
  'subnets-repair-failed',
  // The subnet reads failed (e.g. the member role lacks ec2:DescribeSubnets): the route was still checked.
  'subnets-error',
] as const;
export type SubnetStatus = (typeof SUBNET_STATUSES)[number];

/**
 * The default security group's egress and the default network ACL of an account-region, a third
 * status on its row, set only when they are checked (checkEgress or repairEgress).
 */
export const EGRESS_STATUSES = [
  // The group lets all traffic out to 0.0.0.0/0, and the ACL allows all traffic both ways.
  'egress-ok',
  // repairEgress: AWS's default allow put back where a clean-up stripped it, verified.
  'egress-restored',
  // The same in a dry run, or beyond the repair cap.
  'would-restore-egress',
  // The group has no egress rule, or an ACL direction only its final deny, and repairEgress is off.
  'egress-blocked',
  // A human narrowed them (rules remain, not all traffic): reported, never changed.
  'egress-restricted',
  // The group and the ACL are both tagged account-janitor:ignore=true.
  'egress-ignored',
  'egress-repair-failed',
  // The reads failed (e.g. the member role lacks ec2:DescribeSecurityGroups): the route was still checked.
  'egress-error',
] as const;
export type EgressStatus = (typeof EGRESS_STATUSES)[number];

/**
 * The guard rail's tag on the default path of an account-region (protectDefaultPath audit or
 * enforce), a fourth status on its row.
 */
export const PROTECTION_STATUSES = [
  // Every resource of the default path carries account-janitor:protected=true (this run tagged some, verified).
  'protected',
  // Some do not, and this run did not tag them: report mode, or beyond the repair cap.
  'would-protect',
  // CreateTags failed, or the tags did not show afterwards.
  'protect-failed',
] as const;
export type ProtectionStatus = (typeof PROTECTION_STATUSES)[number];

/** Any status a row carries: its route's, its default subnets', its egress', its protection's. */
export type RowStatus = SweepStatus | SubnetStatus | EgressStatus | ProtectionStatus;

export type TargetStatus = (typeof TARGET_STATUSES)[number];
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];
export type SweepStatus = (typeof SWEEP_STATUSES)[number];

/** Statuses that leave something broken or unverified: any of them makes the CLI exit 1. */
export const UNRESOLVED_STATUSES: ReadonlySet<RowStatus> = new Set<RowStatus>([
  'protect-failed',
  'egress-blocked',
  'would-restore-egress',
  'egress-repair-failed',
  'egress-error',
  'would-restore-subnets',
  'subnets-missing',
  'subnets-misconfigured',
  'subnets-repair-failed',
  'subnets-error',
  'would-restore',
  'would-replace',
  'would-restore-gateway',
  'would-recreate-vpc',
  'conflict',
  'left-by-responder',
  'no-internet-gateway',
  'repair-failed',
  'error',
  'access-denied',
  'not-checked',
]);

/**
 * Statuses that mean the route, gateway, VPC, a default subnet or the egress had drifted (found
 * missing, stale or stripped), whatever became of it.
 */
export const DRIFT_STATUSES: ReadonlySet<RowStatus> = new Set<RowStatus>([
  'egress-restored',
  'would-restore-egress',
  'egress-blocked',
  'egress-repair-failed',
  'subnets-restored',
  'would-restore-subnets',
  'subnets-missing',
  'subnets-repair-failed',
  'restored',
  'replaced',
  'would-restore',
  'would-replace',
  'gateway-restored',
  'would-restore-gateway',
  'vpc-recreated',
  'would-recreate-vpc',
  'repair-failed',
  'left-by-responder',
]);

export const REPAIRED_STATUSES: ReadonlySet<SweepStatus> = new Set<SweepStatus>([
  'restored',
  'replaced',
  'gateway-restored',
  'vpc-recreated',
]);
