import {
  aboutDefaultRouteOnly,
  REQUEST_KEYS,
  type BreakingCall,
  type HeardWith,
  type RequestKey,
  type Touched,
} from './breaking-call-entry';
import { mayShadowDefaultRoute } from './plan-reach';
import { canonicalIpv4Cidr, INTERNET_ROUTE_CIDR, isInternetRouteDestination } from './route-table';
import type { PartKey } from './statuses';
import { PART_KEYS, ROW_PARTS, type PartSwitches } from './row-parts';

/**
 * The EC2 calls that break the default network path, one entry each (`BREAKING_CALLS`): what the
 * call touches, the request parameters that name the resource, how it is matched against what a
 * sweep found broken (or what the path check reported), how direct a cause it is, the digest's
 * words, the switch under which it is heard, what the intake leaves alone by the ids it named, and
 * the guard rail's answer to it (the types: `breaking-call-entry.ts`). Who broke it (`who-broke-it.ts`), the event rules'
 * pattern and the intake's gate (below), the guard rail's SCP (`lib/guard-rail-policy.ts`) and the
 * tests' lists are derived from it. An entry without one of the fields does not compile.
 */

export type {
  BreakingCall,
  Concerns,
  FindingConcerns,
  GuardRail,
  HeardWith,
  RequestKey,
  Touched,
  Touches,
} from './breaking-call-entry';

export const BREAKING_CALLS = {
  DeleteRoute: {
    touches: 'route',
    names: ['routeTableId', 'destinationCidrBlock'],
    concerns: { query: 'routeTableId', key: 'routeTableId', unknown: 'compare', defaultRouteOnly: true },
    rank: 3,
    whatBroke: '0.0.0.0/0 deleted',
    heard: 'always',
    ignoredWhen: null,
    guardRail: { action: 'ec2:DeleteRoute' },
  },
  ReplaceRoute: {
    touches: 'route',
    names: ['routeTableId', 'destinationCidrBlock'],
    concerns: { query: 'routeTableId', key: 'routeTableId', unknown: 'compare', defaultRouteOnly: true },
    rank: 3,
    whatBroke: '0.0.0.0/0 replaced',
    heard: 'always',
    ignoredWhen: null,
    guardRail: { action: 'ec2:ReplaceRoute' },
  },
  CreateRoute: {
    touches: 'route',
    names: ['routeTableId', 'destinationCidrBlock'],
    // A route more specific than 0.0.0.0/0 in the main table, taking public addresses from the gateway.
    concerns: {
      finding: 'shadow',
      matches: (finding, touched) =>
        // The record keeps the caller's spelling (100.68.0.18/18); the route, EC2's (100.68.0.0/18).
        touched.routeTableId === finding.routeTableId &&
        canonicalIpv4Cidr(touched.destinationCidrBlock) === canonicalIpv4Cidr(finding.destination),
    },
    rank: 1,
    whatBroke: 'a route more specific than 0.0.0.0/0 added',
    heard: 'reach',
    ignoredWhen: (touched) =>
      mayShadowDefaultRoute(touched.destinationCidrBlock)
        ? null
        : `CreateRoute of ${touched.destinationCidrBlock ?? 'no IPv4 destination'} cannot shadow 0.0.0.0/0`,
    // Refused on the protected main table, whatever the destination: EC2 has no condition key for a
    // route's destination, so a private route (peering, transit gateway) there is refused too. The
    // janitor's write role is exempt: its repair (CreateRoute of 0.0.0.0/0) goes through.
    guardRail: { action: 'ec2:CreateRoute' },
  },
  DeleteRouteTable: {
    touches: 'route-table',
    names: ['routeTableId'],
    concerns: { query: 'routeTableId', key: 'routeTableId', unknown: 'compare', defaultRouteOnly: false },
    rank: 2,
    whatBroke: 'route table deleted',
    heard: 'always',
    ignoredWhen: null,
    guardRail: { notRefused: 'not in the SCP, no reason recorded; AWS refuses to delete a main route table' },
  },
  DisassociateRouteTable: {
    touches: 'route-table',
    names: [], // associationId only
    concerns: { never: 'names only the association; AWS never allows it on the main table' },
    rank: 2,
    whatBroke: null,
    heard: 'always',
    ignoredWhen: null,
    guardRail: { notRefused: 'it never applies to the main table (AWS refuses it)' },
  },
  AssociateRouteTable: {
    touches: 'route-table',
    names: ['routeTableId', 'subnetId'],
    // A default subnet put on a table whose 0.0.0.0/0 does not go to the gateway.
    concerns: {
      finding: 'off-path',
      matches: (finding, touched) =>
        touched.subnetId === finding.subnetId && touched.routeTableId === finding.routeTableId,
    },
    rank: 1,
    whatBroke: 'default subnet associated with another route table',
    heard: 'reach',
    ignoredWhen: null,
    // Refused when the subnet (or the table, or an edge association's gateway) is protected: the
    // request names each, and each takes aws:ResourceTag. A default subnet is tagged by the sweep.
    guardRail: { action: 'ec2:AssociateRouteTable' },
  },
  ReplaceRouteTableAssociation: {
    touches: 'route-table',
    names: ['routeTableId'], // the new table, and the association
    // A subnet's association replaced by one with a table off the path (the call names the table, not the subnet).
    concerns: { finding: 'off-path', matches: (finding, touched) => touched.routeTableId === finding.routeTableId },
    rank: 2,
    whatBroke: 'subnet moved to another route table',
    heard: 'always',
    ignoredWhen: null,
    // Refused when the subnet it moves is protected (the request names it to IAM, though CloudTrail
    // records only the association), or the new table is. Replacing the main association names no
    // subnet: a new main table is not refused (the janitor then checks the new main table).
    guardRail: { action: 'ec2:ReplaceRouteTableAssociation' },
  },
  DetachInternetGateway: {
    touches: 'internet-gateway',
    names: ['internetGatewayId', 'vpcId'],
    concerns: { query: 'vpcId', key: 'vpcId', unknown: 'compare', defaultRouteOnly: false },
    rank: 2,
    whatBroke: 'internet gateway detached',
    heard: 'always',
    ignoredWhen: null,
    guardRail: { action: 'ec2:DetachInternetGateway' },
  },
  DeleteInternetGateway: {
    touches: 'internet-gateway',
    names: ['internetGatewayId'],
    concerns: { never: 'names the gateway only; it was detached first, and the DetachInternetGateway is named' },
    rank: 2,
    whatBroke: null,
    heard: 'always',
    ignoredWhen: null,
    guardRail: { action: 'ec2:DeleteInternetGateway' },
  },
  DeleteVpc: {
    touches: 'vpc',
    names: ['vpcId'],
    concerns: { query: 'vpcId', key: 'vpcId', unknown: 'any', defaultRouteOnly: false },
    rank: 2,
    whatBroke: 'default VPC deleted',
    heard: 'always',
    ignoredWhen: null,
    guardRail: { action: 'ec2:DeleteVpc' },
  },
  DeleteSubnet: {
    touches: 'subnet',
    names: ['subnetId'],
    concerns: { never: 'names the subnet only, which no query carries' },
    rank: 1,
    whatBroke: null,
    heard: 'always',
    ignoredWhen: null,
    guardRail: { action: 'ec2:DeleteSubnet' },
  },
  ModifySubnetAttribute: {
    touches: 'subnet',
    names: ['subnetId'],
    concerns: { never: 'names the subnet only, which no query carries' },
    rank: 1,
    whatBroke: null,
    heard: 'subnets',
    ignoredWhen: null,
    guardRail: {
      notRefused: 'not in the SCP, no reason recorded (ec2:Attribute could narrow a deny to MapPublicIpOnLaunch)',
    },
  },
  // The rest of the way out (checkEgress, repairEgress): the default security group and network ACL.
  RevokeSecurityGroupEgress: {
    touches: 'security-group',
    names: ['groupId'],
    concerns: { query: 'egressResourceId', key: 'groupId', unknown: 'compare', defaultRouteOnly: false },
    rank: 1,
    whatBroke: 'default security group egress revoked',
    heard: 'egress',
    ignoredWhen: null,
    guardRail: { action: 'ec2:RevokeSecurityGroupEgress' },
  },
  DeleteNetworkAclEntry: {
    touches: 'network-acl',
    names: ['networkAclId'],
    concerns: { query: 'egressResourceId', key: 'networkAclId', unknown: 'compare', defaultRouteOnly: false },
    rank: 1,
    whatBroke: 'network ACL entry deleted',
    heard: 'egress',
    ignoredWhen: null,
    guardRail: { action: 'ec2:DeleteNetworkAclEntry' },
  },
  ReplaceNetworkAclEntry: {
    touches: 'network-acl',
    names: ['networkAclId'],
    concerns: { query: 'egressResourceId', key: 'networkAclId', unknown: 'compare', defaultRouteOnly: false },
    rank: 1,
    whatBroke: 'network ACL entry replaced',
    heard: 'egress',
    ignoredWhen: null,
    guardRail: { action: 'ec2:ReplaceNetworkAclEntry' },
  },
  // Block Public Access: a security team's control, which the janitor reports and never changes.
  ModifyVpcBlockPublicAccessOptions: {
    touches: 'block-public-access',
    names: [],
    // The account's own mode; one a declarative policy set is no member's call.
    concerns: { finding: 'bpa', matches: (finding) => finding.managedBy !== 'declarative-policy' },
    rank: 1,
    whatBroke: 'VPC Block Public Access turned on',
    heard: 'reach',
    ignoredWhen: null,
    guardRail: { notRefused: "Block Public Access is a security team's control: the janitor never stands in its way" },
  },
  CreateVpcBlockPublicAccessExclusion: {
    touches: 'block-public-access',
    names: [],
    concerns: { never: 'an exclusion lets traffic out: heard so that the path is read again at once' },
    rank: 1,
    whatBroke: null,
    heard: 'reach',
    ignoredWhen: null,
    guardRail: { notRefused: 'an exclusion lets traffic out' },
  },
  DeleteVpcBlockPublicAccessExclusion: {
    touches: 'block-public-access',
    names: [],
    concerns: { finding: 'bpa', matches: () => true },
    rank: 1,
    whatBroke: 'VPC Block Public Access exclusion deleted',
    heard: 'reach',
    ignoredWhen: null,
    guardRail: { notRefused: "Block Public Access is a security team's control: the janitor never stands in its way" },
  },
} as const satisfies Record<string, BreakingCall>;

export type BreakingCallName = keyof typeof BREAKING_CALLS;

/** Every breaking call, in the table's order. */
export const BREAKING_EVENT_NAMES = Object.keys(BREAKING_CALLS) as readonly BreakingCallName[];

/** What the configuration checks besides the route, which decides the breaking calls it listens for. */
export type BreakingCallOptions = {
  /** The row parts switched on: the calls heard with each too (`subnets`, `egress`); unset is off. */
  readonly [K in PartKey]?: boolean;
} & {
  /**
   * protectDefaultPath=enforce: the calls the guard rail refused are heard too (errorCode
   * Client.UnauthorizedOperation or AccessDenied), so a clean-up that needs fixing is named.
   */
  readonly refusals?: boolean;
};

/** The breaking calls the configuration listens for: the forwarders' and the hub's pattern, the intake's gate. */
export function breakingEventNames(options: BreakingCallOptions): string[] {
  const heard = (when: HeardWith) => when === 'always' || options[when] === true;
  return BREAKING_EVENT_NAMES.filter((name) => heard(BREAKING_CALLS[name].heard));
}

/** The breaking calls a sweep configuration listens for. */
export function breakingCallOptionsFor(config: PartSwitches): BreakingCallOptions {
  return {
    ...Object.fromEntries(PART_KEYS.map((key) => [key, ROW_PARTS[key].enabled(config)])),
    refusals: config.protectDefaultPath === 'enforce',
  };
}

export function isBreakingCall(name: string): name is BreakingCallName {
  return Object.hasOwn(BREAKING_CALLS, name);
}

/**
 * Why the intake leaves a heard call alone by the ids it named, or `null`: a call about the
 * default route only that names another destination (the event rules' pattern drops it too), or
 * its entry's `ignoredWhen`.
 */
export function ignoredByWhatItNamed(eventName: string, touched: Touched): string | null {
  if (!isBreakingCall(eventName)) return null;
  const call: BreakingCall = BREAKING_CALLS[eventName];
  const destination = touched.destinationCidrBlock;
  if (aboutDefaultRouteOnly(call) && !isInternetRouteDestination(destination)) {
    return `${eventName} of ${destination ?? 'no IPv4 destination'} is not about ${INTERNET_ROUTE_CIDR}`;
  }
  return call.ignoredWhen?.(touched) ?? null;
}

/** The request parameters a cause keeps: those the breaking calls name. */
export const TOUCHED_KEYS: readonly RequestKey[] = REQUEST_KEYS.filter((key) =>
  Object.values<BreakingCall>(BREAKING_CALLS).some((call) => call.names.includes(key)),
);
