import type { ReachFinding } from './plan-reach';
import type { PartKey } from './statuses';

/**
 * What an entry of the breaking calls' table (`breaking-calls.ts`) holds: every field required, so
 * an entry without one does not compile.
 */

/** The request parameters a cause keeps (`Cause.touched`), in the order it keeps them. */
export const REQUEST_KEYS = [
  'routeTableId',
  'destinationCidrBlock',
  'vpcId',
  'internetGatewayId',
  'groupId',
  'networkAclId',
  'subnetId',
] as const;
export type RequestKey = (typeof REQUEST_KEYS)[number];

/** The request parameters a cause keeps (`Cause.touched`), by key. */
export type Touched = Readonly<Partial<Record<RequestKey, string>>>;

/** What a breaking call breaks. */
export type Touches =
  | 'route'
  | 'route-table'
  | 'internet-gateway'
  | 'vpc'
  | 'subnet'
  | 'security-group'
  | 'network-acl'
  | 'block-public-access';

/** When a call is heard: always, or when a row part is switched on (the default subnets, the egress). */
export type HeardWith = 'always' | PartKey;

/** How a call is matched against what a sweep found broken (`BreakageQuery`), or why it never is. */
export type Concerns =
  | {
      /** The field of the query the call must name: the route table, the VPC, the group or ACL found stripped. */
      readonly query: 'routeTableId' | 'vpcId' | 'egressResourceId';
      /** The request parameter that names it. */
      readonly key: RequestKey;
      /**
       * A query without that field (null): `compare` (no call is about an unknown resource), or
       * take `any` such call that names one (DeleteVpc). A call that does not name `key` is never
       * a match.
       */
      readonly unknown: 'compare' | 'any';
      /**
       * Only a call whose destinationCidrBlock is 0.0.0.0/0, however spelled (`isInternetRouteDestination`:
       * `10.1.2.3/0` is it too); one of ::/0 or a prefix list names none.
       */
      readonly defaultRouteOnly: boolean;
    }
  | FindingConcerns
  | { readonly never: string };

/**
 * A call matched against what the path check reported (`reach`: findings, not drift; nothing is
 * repaired): it concerns a finding of its kind when `matches` says so of the ids it named.
 */
export type FindingConcerns = {
  readonly [K in ReachFinding['kind']]: {
    readonly finding: K;
    readonly matches: (finding: Extract<ReachFinding, { kind: K }>, touched: Touched) => boolean;
  };
}[ReachFinding['kind']];

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
  /**
   * Why the intake leaves such a call alone by what it named, before any sweep (a CreateRoute of a
   * private destination cannot shadow 0.0.0.0/0), or `null` when it never does; `null`: every such
   * call is heard.
   */
  readonly ignoredWhen: ((touched: Touched) => string | null) | null;
  readonly guardRail: GuardRail;
}

/** The call is about the default route only: one naming another destination (::/0, a prefix list) breaks nothing. */
export function aboutDefaultRouteOnly(call: BreakingCall): boolean {
  return 'defaultRouteOnly' in call.concerns && call.concerns.defaultRouteOnly;
}

/** The guard rail's SCP refuses the call (on a protected resource): its entry names an IAM action. */
export function guardRailRefuses(call: BreakingCall): boolean {
  return 'action' in call.guardRail;
}
