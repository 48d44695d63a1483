import { failed, quiet, refusedRepair, repaired, wouldRepair, type StatusTraits } from './status-traits';

/** The route is there, the path is not: listed for a person, never written. */
const needsPerson = { group: 'off-path', unresolved: true, drift: false } as const;

/**
 * The statuses of the row parts beside the route (row-parts.ts), one block per part: part of the one
 * status table (status-table.ts).
 */
export const PART_STATUS_TRAITS = {
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
  'subnets-repair-refused': {
    part: 'subnets',
    ...refusedRepair,
    doc: 'a CreateDefaultSubnet was refused by a policy (Control Tower’s data residency control denies it): the message names the policy and the next step',
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
  'egress-repair-refused': {
    part: 'egress',
    ...refusedRepair,
    doc: 'an AuthorizeSecurityGroupEgress or CreateNetworkAclEntry was refused by a policy: the message names it and the next step',
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
  // Refused, not failed: named like the repairs' refusals, still counted by no failure metric.
  'protect-refused': {
    part: 'protection',
    ...failed,
    drift: false,
    refused: true,
    doc: 'CreateTags of the guard rail’s tag was refused by a policy: the message names it and the next step',
  },

  // The path check (the reach switch): would AWS carry the packet, with the route in place? Report only.
  'reach-ok': {
    part: 'reach',
    ...quiet,
    healthy: true,
    doc: 'nothing takes the path away: Block Public Access lets the default VPC out, no route shadows 0.0.0.0/0, every default subnet is on a table routed to the gateway',
  },
  'bpa-blocked': {
    part: 'reach',
    ...needsPerson,
    doc: 'VPC Block Public Access is not `off` for the default VPC and no exclusion lets it out: the message names the mode, who set it (the account, or a declarative policy), whether exclusions are allowed and the command that would make one. The janitor never changes it',
  },
  'route-shadowed': {
    part: 'reach',
    ...needsPerson,
    doc: 'a route of the main table more specific than 0.0.0.0/0 takes public addresses to another target, or to a blackhole (the message lists them); never deleted',
  },
  'subnet-off-path': {
    part: 'reach',
    ...needsPerson,
    doc: 'a default subnet is explicitly associated with a table whose 0.0.0.0/0 does not go to the gateway (the message names subnet, zone and table); never changed',
  },
} as const satisfies Record<string, StatusTraits>;
