import type { IpPermission, NetworkAcl, NetworkAclEntry, SecurityGroup } from '@aws-sdk/client-ec2';
import { isIgnored } from './route-table';

/**
 * The rest of the way out (opt-in, issue 14: checkEgress / repairEgress), as a pure function:
 * given the default VPC's default security group and default network ACL, does a task in the
 * default VPC get out, and what would put back AWS's defaults where a clean-up stripped them.
 *
 * - `egress-ok`: the group allows all traffic out to 0.0.0.0/0, and the ACL allows all traffic
 *   from and to 0.0.0.0/0 in both directions (replies come back through the inbound direction);
 * - `egress-blocked`: the group has no egress rule at all, or an ACL direction has nothing but
 *   its final deny: what a clean-up leaves. Only these parts are repaired;
 * - `egress-restricted`: a human narrowed them (rules remain, but not all traffic): reported,
 *   never changed;
 * - `egress-ignored`: both are tagged account-janitor:ignore=true. One tagged is left out of the
 *   check (neither judged nor repaired); the other is judged alone.
 */

export const EGRESS_PLAN_STATUSES = ['egress-ok', 'egress-blocked', 'egress-restricted', 'egress-ignored'] as const;
export type EgressPlanStatus = (typeof EGRESS_PLAN_STATUSES)[number];

/** The rule number AWS gives the default ACL's allow-all entries (and what the repair uses). */
export const DEFAULT_ACL_ALLOW_RULE = 100;
/**
 * The catch-all deny every ACL direction ends with (`*` in the console): 32767 for IPv4, 32768
 * for IPv6. It cannot be removed; rules a person adds are numbered 1 to 32766.
 */
export const ACL_FINAL_DENY_RULE = 32767;
const ALL_TRAFFIC = '-1';
export const ANY_IPV4 = '0.0.0.0/0';
export const ANY_IPV6 = '::/0';

export interface EgressFinding {
  readonly resource: 'security-group' | 'network-acl';
  readonly resourceId: string;
  readonly direction: 'egress' | 'inbound' | 'outbound';
  readonly state: 'blocked' | 'restricted';
  readonly message: string;
}

export type EgressWrite =
  | { readonly action: 'AuthorizeSecurityGroupEgress'; readonly groupId: string; readonly ipv6: boolean }
  | {
      readonly action: 'CreateNetworkAclEntry';
      readonly networkAclId: string;
      readonly egress: boolean;
      readonly ruleNumber: number;
      readonly ipv6: boolean;
    };

export interface EgressPlan {
  readonly status: EgressPlanStatus;
  readonly findings: readonly EgressFinding[];
  /** AWS's defaults, for the blocked parts only; empty unless `egress-blocked`. */
  readonly repairs: readonly EgressWrite[];
  /** The group and the ACL, when tagged account-janitor:ignore=true: left out of the check. */
  readonly ignored: readonly string[];
}

/** The default security groups and default network ACLs read: of one VPC, or of every VPC of the region. */
export interface DefaultEgressRead {
  readonly securityGroups: readonly SecurityGroup[];
  readonly networkAcls: readonly NetworkAcl[];
}

/** The VPC's default security group and default network ACL among those read. */
export function defaultEgressOf(
  read: DefaultEgressRead,
  vpcId: string,
): { securityGroup: SecurityGroup | undefined; networkAcl: NetworkAcl | undefined } {
  return {
    securityGroup: read.securityGroups.find((group) => group.VpcId === vpcId && group.GroupName === 'default'),
    networkAcl: read.networkAcls.find((acl) => acl.VpcId === vpcId && acl.IsDefault === true),
  };
}

/** What a write is about: the same key for the same rule, whatever was read around it. */
export function writeKey(write: EgressWrite): string {
  return write.action === 'AuthorizeSecurityGroupEgress'
    ? `${write.groupId} egress ${write.ipv6 ? ANY_IPV6 : ANY_IPV4}`
    : `${write.networkAclId} ${write.egress ? 'outbound' : 'inbound'} ${write.ruleNumber} ${write.ipv6 ? ANY_IPV6 : ANY_IPV4}`;
}

/**
 * The write's rule shows in what was read: the exact all-traffic permission of the group, or the
 * exact allow entry (direction, number, block) of the ACL. A write is verified only so.
 */
export function writeShows(
  found: { readonly securityGroup: SecurityGroup | undefined; readonly networkAcl: NetworkAcl | undefined },
  write: EgressWrite,
): boolean {
  const cidr = write.ipv6 ? ANY_IPV6 : ANY_IPV4;
  if (write.action === 'AuthorizeSecurityGroupEgress') {
    return (
      found.securityGroup?.GroupId === write.groupId &&
      (found.securityGroup.IpPermissionsEgress ?? []).some((permission) => allTrafficTo(permission, cidr))
    );
  }
  return (
    found.networkAcl?.NetworkAclId === write.networkAclId &&
    (found.networkAcl.Entries ?? []).some(
      (entry) =>
        entry.Egress === write.egress &&
        entry.RuleNumber === write.ruleNumber &&
        entry.RuleAction === 'allow' &&
        entry.Protocol === ALL_TRAFFIC &&
        (write.ipv6 ? entry.Ipv6CidrBlock : entry.CidrBlock) === cidr,
    )
  );
}

export interface EgressNetwork {
  /** The default VPC has an IPv6 CIDR block: AWS's defaults then cover ::/0 too. */
  readonly vpcHasIpv6: boolean;
  readonly securityGroup: SecurityGroup;
  readonly networkAcl: NetworkAcl;
}

export function planEgressRepair(network: EgressNetwork): EgressPlan {
  const groupIgnored = isIgnored(network.securityGroup.Tags);
  const aclIgnored = isIgnored(network.networkAcl.Tags);
  const ignored = [
    ...(groupIgnored ? [network.securityGroup.GroupId ?? '?'] : []),
    ...(aclIgnored ? [network.networkAcl.NetworkAclId ?? '?'] : []),
  ];
  const findings = [
    ...(groupIgnored ? [] : securityGroupFindings(network.securityGroup)),
    ...(aclIgnored ? [] : aclFindings(network.networkAcl)),
  ];
  const blocked = findings.filter((finding) => finding.state === 'blocked');
  const status: EgressPlanStatus =
    groupIgnored && aclIgnored
      ? 'egress-ignored'
      : blocked.length > 0
        ? 'egress-blocked'
        : findings.length > 0
          ? 'egress-restricted'
          : 'egress-ok';
  const repairs = blocked.flatMap((finding): EgressWrite[] =>
    finding.resource === 'security-group'
      ? [
          { action: 'AuthorizeSecurityGroupEgress', groupId: finding.resourceId, ipv6: false },
          ...(network.vpcHasIpv6
            ? [{ action: 'AuthorizeSecurityGroupEgress' as const, groupId: finding.resourceId, ipv6: true }]
            : []),
        ]
      : [false, ...(network.vpcHasIpv6 ? [true] : [])].map((ipv6) => ({
          action: 'CreateNetworkAclEntry' as const,
          networkAclId: finding.resourceId,
          egress: finding.direction === 'outbound',
          // AWS's own numbers: 100 for IPv4, 101 for IPv6.
          ruleNumber: DEFAULT_ACL_ALLOW_RULE + (ipv6 ? 1 : 0),
          ipv6,
        })),
  );
  return { status, findings, repairs, ignored };
}

function allTrafficTo(permission: IpPermission, cidr: string): boolean {
  return (
    permission.IpProtocol === ALL_TRAFFIC &&
    ((permission.IpRanges ?? []).some((range) => range.CidrIp === cidr) ||
      (permission.Ipv6Ranges ?? []).some((range) => range.CidrIpv6 === cidr))
  );
}

function securityGroupFindings(group: SecurityGroup): EgressFinding[] {
  const egress = group.IpPermissionsEgress ?? [];
  const id = group.GroupId ?? '?';
  if (egress.length === 0) {
    return [
      {
        resource: 'security-group',
        resourceId: id,
        direction: 'egress',
        state: 'blocked',
        message: `default security group ${id} has no egress rule: nothing gets out`,
      },
    ];
  }
  if (egress.some((permission) => allTrafficTo(permission, ANY_IPV4))) return [];
  return [
    {
      resource: 'security-group',
      resourceId: id,
      direction: 'egress',
      state: 'restricted',
      message: `default security group ${id} allows only some egress (${egress.length} rule${egress.length === 1 ? '' : 's'}): left as a human set it`,
    },
  ];
}

function aclFindings(acl: NetworkAcl): EgressFinding[] {
  const id = acl.NetworkAclId ?? '?';
  return ([false, true] as const).flatMap((egress): EgressFinding[] => {
    const direction = egress ? 'outbound' : 'inbound';
    const entries = (acl.Entries ?? [])
      .filter((entry) => entry.Egress === egress && (entry.RuleNumber ?? 0) < ACL_FINAL_DENY_RULE)
      .sort((a, b) => (a.RuleNumber ?? 0) - (b.RuleNumber ?? 0));
    if (entries.length === 0) {
      return [
        {
          resource: 'network-acl',
          resourceId: id,
          direction,
          state: 'blocked',
          message: `default network ACL ${id} has nothing but its final deny ${direction}`,
        },
      ];
    }
    return allowsAll(entries)
      ? []
      : [
          {
            resource: 'network-acl',
            resourceId: id,
            direction,
            state: 'restricted',
            message: `default network ACL ${id} does not allow all traffic ${direction} (${entries.length} rule${entries.length === 1 ? '' : 's'}): left as a human set it`,
          },
        ];
  });
}

/** An allow of all traffic for 0.0.0.0/0, with no deny numbered before it (ACL rules apply in order). */
function allowsAll(entries: readonly NetworkAclEntry[]): boolean {
  for (const entry of entries) {
    if (entry.RuleAction === 'deny') return false;
    if (entry.RuleAction === 'allow' && entry.Protocol === ALL_TRAFFIC && entry.CidrBlock === ANY_IPV4) return true;
  }
  return false;
}
