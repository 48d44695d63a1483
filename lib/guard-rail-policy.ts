import type { SweepConfig } from '../lambda/config/schema';
import { GUARD_RAIL_STATEMENT_IDS } from '../lambda/contract/permissions';
import { GUARD_RAIL_ACTIONS } from '../lambda/core/breaking-calls';
import { PROTECT_TAG_KEY, PROTECT_TAG_VALUE } from '../lambda/core/plan-protection';

/**
 * The guard rail (protectDefaultPath=enforce): a service control policy that refuses the calls that
 * break the default path, on resources tagged account-janitor:protected=true, to everyone but the
 * janitor's write role and the exempt principals (break-glass, responders). The stack attaches it
 * to the target OUs; `npm run guard-rail-policy` writes it for teams that manage SCPs elsewhere.
 *
 * Its actions come from the breaking calls' table (`lambda/core/breaking-calls.ts`): each call's
 * `guardRail` is its action, which takes as a resource of its request the tagged resource it would
 * break (Service Authorization Reference), or the reason it is left out; then the guard-rail-only
 * actions (GUARD_RAIL_ONLY), each with why no event names it. Not covered: the management account
 * (SCPs never apply to it), and calls by exempt principals.
 */

export { GUARD_RAIL_ACTIONS };

/** AWS's limit on the size of a service control policy, in characters (whitespace counts). */
export const SCP_MAX_CHARACTERS = 5120;

export interface GuardRailOptions {
  readonly config: Pick<SweepConfig, 'memberRoleName'>;
  /** `aws`, `aws-cn`, `aws-us-gov`: the partition of the organization. */
  readonly partition: string;
  /** Further principals the guard rail lets through (IAM ARN patterns): break-glass, responders. */
  readonly exemptPrincipalArns?: readonly string[];
}

export function guardRailPolicy(options: GuardRailOptions): Record<string, unknown> {
  const exempt = {
    ArnNotLike: {
      'aws:PrincipalArn': [
        `arn:${options.partition}:iam::*:role/${options.config.memberRoleName}`,
        ...(options.exemptPrincipalArns ?? []),
      ],
    },
  };
  const taggedProtected = { [`aws:ResourceTag/${PROTECT_TAG_KEY}`]: PROTECT_TAG_VALUE };
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: GUARD_RAIL_STATEMENT_IDS.breakingCalls,
        Effect: 'Deny',
        Action: [...GUARD_RAIL_ACTIONS],
        Resource: '*',
        Condition: { StringEquals: taggedProtected, ...exempt },
      },
      {
        // Nobody else sets, overwrites or removes the protect tag.
        Sid: GUARD_RAIL_STATEMENT_IDS.protectTag,
        Effect: 'Deny',
        Action: ['ec2:CreateTags', 'ec2:DeleteTags'],
        Resource: '*',
        Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': [PROTECT_TAG_KEY] }, ...exempt },
      },
      {
        // DeleteTags without keys removes every tag: refused on a protected resource.
        Sid: GUARD_RAIL_STATEMENT_IDS.tagsOfProtected,
        Effect: 'Deny',
        Action: 'ec2:DeleteTags',
        Resource: '*',
        Condition: { StringEquals: taggedProtected, Null: { 'aws:TagKeys': 'true' }, ...exempt },
      },
    ],
  };
}

/** The policy as AWS counts it: JSON without whitespace. Throws, naming the size, when it is over the limit. */
export function guardRailPolicyText(options: GuardRailOptions): string {
  const text = JSON.stringify(guardRailPolicy(options));
  if (text.length > SCP_MAX_CHARACTERS) {
    throw new Error(
      `guardRailExemptPrincipalArns: the guard rail policy would be ${text.length} characters, over the ${SCP_MAX_CHARACTERS} of a service control policy: name fewer exempt principals (use a wildcard pattern)`,
    );
  }
  return text;
}
