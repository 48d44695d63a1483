import { PART_KEYS, ROW_PARTS, type PartSwitches } from './row-parts';
import type { PartKey } from './statuses';

/**
 * The EC2 calls that break the default network path, one entry each (`BREAKING_CALLS`): what the
 * call touches, the request parameters that name the resource, how it is matched against what a
 * sweep found broken, how direct a cause it is, the digest's words, the switch under which it is
 * heard, and the guard rail's answer to it. Who broke it (`who-broke-it.ts`), the event rules'
 * pattern and the intake's gate (below), the guard rail's SCP (`lib/guard-rail-policy.ts`) and the
 * tests' lists are derived from it. An entry without one of the fields does not compile.
 */

/** The request parameters a cause keeps (`Cause.touched`), in the order it keeps them. */
const REQUEST_KEYS = [
  'routeTableId',
  'destinationCidrBlock',
  'vpcId',
  'internetGatewayId',
  'groupId',
  'networkAclId',
] as const;
export type RequestKey = (typeof REQUEST_KEYS)[number];

/** What a breaking call breaks. */
export type Touches =
  'route' | 'route-table' | 'internet-gateway' | 'vpc' | 'subnet' | 'security-group' | 'network-acl';

/** When a call is heard: always, or when a row part is switched on (the default subnets, the egress). */
export type HeardWith = 'always' | PartKey;

/** How a call is matched against what a sweep found broken (`BreakageQuery`), or why it never is. */
export type Concerns =
  | {
      /** The field of the query the call must name: the route table, the VPC, the group or ACL found stripped. */
      readonly query: 'routeTableId' | 'vpcId' | 'egressResourceId';
      /** The request parameter that names it. */
      readonly key: RequestKey;
      /** A query without that field (null): `compare` as it is, or take `any` such call (DeleteVpc). */
      readonly unknown: 'compare' | 'any';
      /** Only a call on 0.0.0.0/0 (destinationCidrBlock; a call without one is counted as 0.0.0.0/0). */
      readonly defaultRouteOnly: boolean;
    }
  | { readonly never: string };

/** The guard rail's SCP refuses the call on a tagged resource (its IAM action), or it does not (why). */
export type GuardRail = { readonly action: `ec2:${string}` } | { readonly notRefused: string };

export interface BreakingCall {
  readonly touches: Touches;
  /** The request parameters that name the resource, as a cause keeps them. */
  readonly names: readonly RequestKey[];
  readonly concerns: Concerns;
  /** How directly it breaks the default route: the route (3), what it hangs on (2), what is around it (1). */
  readonly rank: 1 | 2 | 3;
  /** What the digest says broke; `null`: the call's name. */
  readonly whatBroke: string | null;
  readonly heard: HeardWith;
  readonly guardRail: GuardRail;
}

export const BREAKING_CALLS = {
  DeleteRoute: {
    touches: 'route',
    names: ['routeTableId', 'destinationCidrBlock'],
    concerns: { query: 'routeTableId', key: 'routeTableId', unknown: 'compare', defaultRouteOnly: true },
    rank: 3,
    whatBroke: '0.0.0.0/0 deleted',
    heard: 'always',
    guardRail: { action: 'ec2:DeleteRoute' },
  },
  ReplaceRoute: {
    touches: 'route',
    names: ['routeTableId', 'destinationCidrBlock'],
    concerns: { query: 'routeTableId', key: 'routeTableId', unknown: 'compare', defaultRouteOnly: true },
    rank: 3,
    whatBroke: '0.0.0.0/0 replaced',
    heard: 'always',
    guardRail: { action: 'ec2:ReplaceRoute' },
  },
  DeleteRouteTable: {
    touches: 'route-table',
    names: ['routeTableId'],
    concerns: { query: 'routeTableId', key: 'routeTableId', unknown: 'compare', defaultRouteOnly: false },
    rank: 2,
    whatBroke: 'route table deleted',
    heard: 'always',
    guardRail: { notRefused: 'not in the SCP, no reason recorded; AWS refuses to delete a main route table' },
  },
  DisassociateRouteTable: {
    touches: 'route-table',
    names: [], // associationId only
    concerns: { never: 'names only the association; AWS never allows it on the main table' },
    rank: 2,
    whatBroke: null,
    heard: 'always',
    guardRail: { notRefused: 'it never applies to the main table (AWS refuses it)' },
  },
  ReplaceRouteTableAssociation: {
    touches: 'route-table',
    names: ['routeTableId'], // the new table, and the association
    concerns: { never: 'names only the new table (the janitor then checks the new main table)' },
    rank: 2,
    whatBroke: null,
    heard: 'always',
    guardRail: { notRefused: 'it names only the new table (the janitor then checks the new main table)' },
  },
  DetachInternetGateway: {
    touches: 'internet-gateway',
    names: ['internetGatewayId', 'vpcId'],
    concerns: { query: 'vpcId', key: 'vpcId', unknown: 'compare', defaultRouteOnly: false },
    rank: 2,
    whatBroke: 'internet gateway detached',
    heard: 'always',
    guardRail: { action: 'ec2:DetachInternetGateway' },
  },
  DeleteInternetGateway: {
    touches: 'internet-gateway',
    names: ['internetGatewayId'],
    concerns: { never: 'names the gateway only; it was detached first, and the DetachInternetGateway is named' },
    rank: 2,
    whatBroke: null,
    heard: 'always',
    guardRail: { action: 'ec2:DeleteInternetGateway' },
  },
  DeleteVpc: {
    touches: 'vpc',
    names: ['vpcId'],
    concerns: { query: 'vpcId', key: 'vpcId', unknown: 'any', defaultRouteOnly: false },
    rank: 2,
    whatBroke: 'default VPC deleted',
    heard: 'always',
    guardRail: { action: 'ec2:DeleteVpc' },
  },
  DeleteSubnet: {
    touches: 'subnet',
    names: [], // subnetId, not kept by a cause today
    concerns: { never: 'names the subnet only, which no query carries' },
    rank: 1,
    whatBroke: null,
    heard: 'always',
    guardRail: { action: 'ec2:DeleteSubnet' },
  },
  ModifySubnetAttribute: {
    touches: 'subnet',
    names: [], // subnetId, not kept by a cause today
    concerns: { never: 'names the subnet only, which no query carries' },
    rank: 1,
    whatBroke: null,
    heard: 'subnets',
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
    guardRail: { action: 'ec2:RevokeSecurityGroupEgress' },
  },
  DeleteNetworkAclEntry: {
    touches: 'network-acl',
    names: ['networkAclId'],
    concerns: { query: 'egressResourceId', key: 'networkAclId', unknown: 'compare', defaultRouteOnly: false },
    rank: 1,
    whatBroke: 'network ACL entry deleted',
    heard: 'egress',
    guardRail: { action: 'ec2:DeleteNetworkAclEntry' },
  },
  ReplaceNetworkAclEntry: {
    touches: 'network-acl',
    names: ['networkAclId'],
    concerns: { query: 'egressResourceId', key: 'networkAclId', unknown: 'compare', defaultRouteOnly: false },
    rank: 1,
    whatBroke: 'network ACL entry replaced',
    heard: 'egress',
    guardRail: { action: 'ec2:ReplaceNetworkAclEntry' },
  },
} as const satisfies Record<string, BreakingCall>;

export type BreakingCallName = keyof typeof BREAKING_CALLS;

/**
 * Actions the guard rail's SCP refuses that are no breaking call of the event path, with the
 * reason: nothing hears them, and nothing repairs what they do.
 */
export const GUARD_RAIL_ONLY = {
  ReplaceNetworkAclAssociation: {
    action: 'ec2:ReplaceNetworkAclAssociation',
    notHeard:
      'it moves a subnet to another network ACL; the egress check reads the default ACL, not which subnets use it',
  },
} as const satisfies Record<string, { readonly action: `ec2:${string}`; readonly notHeard: string }>;

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

/** The request parameters a cause keeps: those the breaking calls name. */
export const TOUCHED_KEYS: readonly RequestKey[] = REQUEST_KEYS.filter((key) =>
  Object.values<BreakingCall>(BREAKING_CALLS).some((call) => call.names.includes(key)),
);

/**
 * The actions of the guard rail's SCP: the breaking calls it refuses, in the table's order, then
 * the guard-rail-only ones.
 */
export const GUARD_RAIL_ACTIONS: readonly `ec2:${string}`[] = [
  ...Object.values<BreakingCall>(BREAKING_CALLS).flatMap((call) =>
    'action' in call.guardRail ? [call.guardRail.action] : [],
  ),
  ...Object.values(GUARD_RAIL_ONLY).map((extra) => extra.action),
];
