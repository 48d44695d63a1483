import { BREAKING_CALLS } from './breaking-calls';
import type { BreakingCall } from './breaking-call-entry';

/**
 * The EC2 actions of the guard rail's SCP (`lib/guard-rail-policy.ts`): the breaking calls it
 * refuses (each entry's `guardRail` in `breaking-calls.ts`), then the actions it refuses that are
 * no breaking call of the event path (GUARD_RAIL_ONLY), each with why none is heard.
 */

/**
 * Actions the guard rail's SCP refuses on a protected resource that are no breaking call of the
 * event path, with the reason: no drift a sweep repairs follows from them, so no cause is looked
 * up for them and audit never names them (`wouldBlock` is a row's cause). Each takes
 * aws:ResourceTag on the resource it changes (Service Authorization Reference; the tests check it).
 */
export const GUARD_RAIL_ONLY = {
  ReplaceNetworkAclAssociation: {
    action: 'ec2:ReplaceNetworkAclAssociation',
    notHeard:
      'it moves a subnet to another network ACL; the egress check reads the default ACL, not which subnets use it',
  },
  ModifySecurityGroupRules: {
    action: 'ec2:ModifySecurityGroupRules',
    notHeard:
      'it edits a rule in place: the egress check reads the result as egress-restricted (a narrowing a person made: reported, never repaired, no cause looked up)',
  },
  CreateNetworkAclEntry: {
    // The janitor's own egress repair is a CreateNetworkAclEntry: its write role is exempt.
    action: 'ec2:CreateNetworkAclEntry',
    notHeard:
      'a deny entry ahead of the allow leaves the allow in place: the egress check reads egress-restricted (reported, never repaired, no cause looked up)',
  },
  ModifyVpcAttribute: {
    action: 'ec2:ModifyVpcAttribute',
    notHeard:
      'DNS support off breaks name resolution (ECR, every endpoint), not the route: the janitor reads no VPC attribute',
  },
} as const satisfies Record<string, { readonly action: `ec2:${string}`; readonly notHeard: string }>;

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
