import type { Tag } from '@aws-sdk/client-ec2';
import { PROTECT_TAG_KEY, PROTECT_TAG_VALUE } from '../contract/tags';
import { REFUSED_ERROR_CODES } from './breaking-call-pattern';
import { BREAKING_CALLS, isBreakingCall } from './breaking-calls';
import { denialMessageOf } from './policy-denial';
import { causeOf, type Cause, type CloudTrailRecord } from './who-broke-it';
import { defaultEgressOf } from './plan-egress-repair';
import type { RegionNetwork } from './region-network';
import { isIgnored } from './route-table';

/**
 * The guard rail's tag (protectDefaultPath): which resources of an account-region's default path
 * carry `account-janitor:protected` = `true`, which still need it, and whether a breaking call hit
 * one of them. The guard rail's SCP refuses the breaking calls on tagged resources; the tag is what
 * it keys on. Pure: decided from the describes the sweep has already made.
 */

export { PROTECT_TAG_KEY, PROTECT_TAG_VALUE };
export { PROTECT_MODES, type ProtectMode } from '../config/values';

export type ProtectedKind = 'vpc' | 'route-table' | 'internet-gateway' | 'subnet' | 'security-group' | 'network-acl';

export interface DefaultPathResource {
  readonly kind: ProtectedKind;
  readonly resourceId: string;
  readonly tags: readonly Tag[] | undefined;
}

export interface ProtectionPlan {
  /** Every resource of the default path found, tagged or not (ignored ones left out). */
  readonly resources: readonly DefaultPathResource[];
  /** Those without the tag: one CreateTags puts it on all of them. */
  readonly untagged: readonly string[];
}

export function isProtected(tags: readonly Tag[] | undefined): boolean {
  return tags?.some((tag) => tag.Key === PROTECT_TAG_KEY && tag.Value === PROTECT_TAG_VALUE) ?? false;
}

/**
 * The default path of a region as read: the default VPC, its main route table, its attached
 * internet gateway, and (when they were read) its default subnets, default security group and
 * default network ACL. A default VPC tagged account-janitor:ignore gives nothing; any other
 * resource so tagged is left out.
 */
export function defaultPathResources(network: RegionNetwork): DefaultPathResource[] {
  const vpc = network.defaultVpc;
  if (!vpc?.VpcId || isIgnored(vpc.Tags)) return [];
  const vpcId = vpc.VpcId;
  const found: DefaultPathResource[] = [{ kind: 'vpc', resourceId: vpcId, tags: vpc.Tags }];
  const table = network.mainRouteTables.find((candidate) => candidate.VpcId === vpcId);
  if (table?.RouteTableId) found.push({ kind: 'route-table', resourceId: table.RouteTableId, tags: table.Tags });
  const gateway = network.internetGateways.find((candidate) =>
    candidate.Attachments?.some((attachment) => attachment.VpcId === vpcId),
  );
  if (gateway?.InternetGatewayId) {
    found.push({ kind: 'internet-gateway', resourceId: gateway.InternetGatewayId, tags: gateway.Tags });
  }
  if (network.subnets && !('readError' in network.subnets)) {
    for (const subnet of network.subnets.defaultSubnets) {
      if (subnet.VpcId === vpcId && subnet.DefaultForAz === true && subnet.SubnetId) {
        found.push({ kind: 'subnet', resourceId: subnet.SubnetId, tags: subnet.Tags });
      }
    }
  }
  if (network.egress && !('readError' in network.egress)) {
    const { securityGroup: group, networkAcl: acl } = defaultEgressOf(network.egress, vpcId);
    if (group?.GroupId) found.push({ kind: 'security-group', resourceId: group.GroupId, tags: group.Tags });
    if (acl?.NetworkAclId) found.push({ kind: 'network-acl', resourceId: acl.NetworkAclId, tags: acl.Tags });
  }
  return found.filter((resource) => !isIgnored(resource.tags));
}

export function planProtection(network: RegionNetwork): ProtectionPlan {
  const resources = defaultPathResources(network);
  return {
    resources,
    untagged: resources.filter((resource) => !isProtected(resource.tags)).map((resource) => resource.resourceId),
  };
}

/** A breaking call the guard rail refused, or (audit) would have refused: who, what, when, on which resource. */
export interface GuardRailEntry {
  readonly principalArn: string;
  readonly eventName: string;
  readonly eventTime: string;
  readonly resourceId: string;
  /**
   * EC2's encoded authorization message, as CloudTrail recorded it: heard by the intake, decoded by
   * the targeted sweep in the member account, never in a row.
   */
  readonly encodedMessage?: string;
  /** Why it is not confirmed to be the guard rail's: its message could not be decoded. */
  readonly unconfirmed?: string;
}

/**
 * The guard rail's verdict on a row's cause: the call touched a resource that carried the tag when
 * the sweep read it (so the guard rail's SCP would have refused it), or `null`.
 */
export function refusedByGuardRail(cause: Cause, network: RegionNetwork): GuardRailEntry | null {
  const tagged = new Set(
    defaultPathResources(network)
      .filter((resource) => isProtected(resource.tags))
      .map((resource) => resource.resourceId),
  );
  // Only a call the SCP refuses (its entry names the action): a ModifySubnetAttribute is not one.
  if (!isBreakingCall(cause.eventName) || !('action' in BREAKING_CALLS[cause.eventName].guardRail)) return null;
  const resourceId = Object.values(cause.touched ?? {}).find((id) => tagged.has(id));
  if (!resourceId) return null;
  return { principalArn: cause.principalArn, eventName: cause.eventName, eventTime: cause.eventTime, resourceId };
}

/**
 * A breaking call the guard rail's SCP refused (protectDefaultPath=enforce): an SCP denial's error
 * code, and AWS's message naming a service control policy in clear (a denial by any other policy
 * is not the guard rail's). EC2 names none: CloudTrail records its "… Encoded authorization failure
 * message: …", which only the member account can decode, so such a call is kept with its encoded
 * message for the targeted sweep to confirm (sweep/refusal.ts). The resource is the first id the
 * call named.
 */
export function refusedByScp(record: CloudTrailRecord): GuardRailEntry | null {
  if (!(REFUSED_ERROR_CODES as readonly string[]).includes(record.errorCode ?? '')) return null;
  const said = denialMessageOf(record.errorMessage ?? '');
  const scp = said.form === 'clear' && said.explicit && said.policyType.toLowerCase() === 'service control policy';
  if (!scp && said.form !== 'encoded') return null;
  const cause = causeOf(record);
  const [resourceId] = Object.entries(cause.touched ?? {})
    .filter(([key]) => key !== 'destinationCidrBlock')
    .map(([, id]) => id);
  return {
    principalArn: cause.principalArn,
    eventName: cause.eventName,
    eventTime: cause.eventTime,
    resourceId: resourceId ?? 'unknown',
    ...(said.form === 'encoded' ? { encodedMessage: said.encoded } : {}),
  };
}
