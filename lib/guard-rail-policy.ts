import type { SweepConfig } from '../lambda/config/schema';
import { GUARD_RAIL_STATEMENT_IDS } from '../lambda/contract/permissions';
import {
  FORWARDER_ROLE_NAME_PREFIX,
  FORWARDER_RULE_NAME,
  STACK_SET_EXECUTION_ROLE_PREFIX,
  STACK_SET_INSTANCE_PREFIX,
} from '../lambda/contract/names';
import { IGNORE_TAG_KEY } from '../lambda/contract/tags';
import { GUARD_RAIL_ACTIONS } from '../lambda/core/guard-rail-actions';
import { PROTECT_TAG_KEY, PROTECT_TAG_VALUE } from '../lambda/core/plan-protection';
import { ConfigError } from '../lambda/errors';

/**
 * The guard rail (protectDefaultPath=enforce): a service control policy that refuses the calls that
 * break the default path, on resources tagged account-janitor:protected=true, to everyone but the
 * janitor's write role and the exempt principals (break-glass, responders); and that keeps the
 * janitor itself in every member account. The stack attaches it to the target OUs;
 * `npm run guard-rail-policy` writes it for teams that manage SCPs elsewhere.
 *
 * The default path: its actions come from the breaking calls' table (`lambda/core/breaking-calls.ts`):
 * each call's `guardRail` is its action, which takes as a resource of its request the tagged
 * resource it would break (Service Authorization Reference), or the reason it is left out; then the
 * guard-rail-only actions (GUARD_RAIL_ONLY, `lambda/core/guard-rail-actions.ts`), each with why no event names it. Nobody else sets,
 * changes or removes the protect tag, nor sets the ignore tag on a protected resource (tag keys
 * compared without regard to case).
 *
 * The janitor itself (`KeepTheJanitor`): the IAM writes on its member roles and the forwarder's
 * roles, the EventBridge writes on the forwarder's rule, and the writes on its StackSets' instance
 * stacks, refused to everyone but CloudFormation's StackSet execution role (`stacksets-exec-*`, the
 * role service-managed StackSets deploy with). The write role is let through the default path by
 * its name; its name is safe only because no one can delete it, create another of that name, or
 * change whom it trusts or what it may do: the same statement refuses it. The execution roles are
 * kept too (else a member admin could create a `stacksets-exec-…` role of their own, or trust
 * themselves in one): AWS creates them with a service-linked role, which SCPs never restrict.
 *
 * Not covered: the management account (SCPs never apply to it), and calls by exempt principals.
 */

export { GUARD_RAIL_ACTIONS };

/** AWS's limit on the size of a service control policy, in characters (whitespace counts). */
export const SCP_MAX_CHARACTERS = 5120;

/**
 * The IAM writes on a role that change who it is, whom it trusts or what it may do (every write
 * action of the role resource type in the Service Authorization Reference but: PassRole, which no
 * service can use (the roles trust the hub only); the service-linked role actions; and TagRole and
 * UntagRole, since nothing keys on the roles' tags). The tests compare it with AWS's data.
 */
export const ROLE_WRITE_ACTIONS = [
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:UpdateAssumeRolePolicy',
  'iam:PutRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:AttachRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:DeleteRolePermissionsBoundary',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
] as const;

/** The EventBridge writes that change, silence or remove the forwarder's rule. */
export const RULE_WRITE_ACTIONS = [
  'events:DeleteRule',
  'events:DisableRule',
  'events:PutRule',
  'events:PutTargets',
  'events:RemoveTargets',
] as const;

/** The CloudFormation writes that change or delete an instance stack of the janitor's StackSets. */
export const STACK_WRITE_ACTIONS = [
  'cloudformation:DeleteStack',
  'cloudformation:UpdateStack',
  'cloudformation:CreateChangeSet',
  'cloudformation:ExecuteChangeSet',
  'cloudformation:SetStackPolicy',
  'cloudformation:CancelUpdateStack',
  'cloudformation:ContinueUpdateRollback',
  'cloudformation:RollbackStack',
  'cloudformation:CreateStackRefactor',
] as const;

/** The role service-managed StackSets create in each target account and act through (`stacksets-exec-<id>`). */
export const STACK_SET_EXECUTION_ROLE_PATTERN = `${STACK_SET_EXECUTION_ROLE_PREFIX}*`;

export interface GuardRailOptions {
  readonly config: Pick<SweepConfig, 'memberRoleName' | 'readOnlyRoleName'>;
  /** `aws`, `aws-cn`, `aws-us-gov`: the partition of the organization. */
  readonly partition: string;
  /** Further principals the guard rail lets through the default path (IAM ARN patterns): break-glass, responders. */
  readonly exemptPrincipalArns?: readonly string[];
}

type Statement = Record<string, unknown>;

/** The default path's statements (they carry the exempt principals), then the janitor's own (they carry none). */
export function guardRailStatements(options: GuardRailOptions): { path: Statement[]; janitor: Statement[] } {
  const role = (name: string) => `arn:${options.partition}:iam::*:role/${name}`;
  const exempt = {
    ArnNotLike: { 'aws:PrincipalArn': [role(options.config.memberRoleName), ...(options.exemptPrincipalArns ?? [])] },
  };
  const taggedProtected = { [`aws:ResourceTag/${PROTECT_TAG_KEY}`]: PROTECT_TAG_VALUE };
  const keys = (key: string) => ({ 'ForAnyValue:StringEqualsIgnoreCase': { 'aws:TagKeys': [key] } });
  const path: Statement[] = [
    {
      Sid: GUARD_RAIL_STATEMENT_IDS.breakingCalls,
      Effect: 'Deny',
      Action: [...GUARD_RAIL_ACTIONS],
      Resource: '*',
      Condition: { StringEquals: taggedProtected, ...exempt },
    },
    {
      // Nobody else sets, overwrites or removes the protect tag, in any case of its key.
      Sid: GUARD_RAIL_STATEMENT_IDS.protectTag,
      Effect: 'Deny',
      Action: ['ec2:CreateTags', 'ec2:DeleteTags'],
      Resource: '*',
      Condition: { ...keys(PROTECT_TAG_KEY), ...exempt },
    },
    // The two below name no exempt principal (the janitor makes neither call), so that each exempt
    // principal costs its length twice, not four times: an exempt principal removes the protect
    // tag by its key first, then may set the ignore tag or remove the rest.
    {
      // Nor tells the janitor to leave a protected resource alone.
      Sid: GUARD_RAIL_STATEMENT_IDS.ignoreTagOnProtected,
      Effect: 'Deny',
      Action: 'ec2:CreateTags',
      Resource: '*',
      Condition: { StringEquals: taggedProtected, ...keys(IGNORE_TAG_KEY) },
    },
    {
      // DeleteTags without keys removes every tag: refused on a protected resource.
      Sid: GUARD_RAIL_STATEMENT_IDS.tagsOfProtected,
      Effect: 'Deny',
      Action: 'ec2:DeleteTags',
      Resource: '*',
      Condition: { StringEquals: taggedProtected, Null: { 'aws:TagKeys': 'true' } },
    },
  ];
  const janitor: Statement[] = [
    {
      // Each action meets only the resources of its own service: one statement, fewer characters.
      Sid: GUARD_RAIL_STATEMENT_IDS.janitor,
      Effect: 'Deny',
      Action: [...ROLE_WRITE_ACTIONS, ...RULE_WRITE_ACTIONS, ...STACK_WRITE_ACTIONS],
      Resource: [
        role(options.config.memberRoleName),
        role(options.config.readOnlyRoleName),
        role(`${FORWARDER_ROLE_NAME_PREFIX}*`),
        role(STACK_SET_EXECUTION_ROLE_PATTERN),
        `arn:${options.partition}:events:*:*:rule/${FORWARDER_RULE_NAME}`,
        `arn:${options.partition}:cloudformation:*:*:stack/${STACK_SET_INSTANCE_PREFIX}*`,
      ],
      Condition: { ArnNotLike: { 'aws:PrincipalArn': role(STACK_SET_EXECUTION_ROLE_PATTERN) } },
    },
  ];
  return { path, janitor };
}

const documentOf = (statements: Statement[]): Record<string, unknown> => ({
  Version: '2012-10-17',
  Statement: statements,
});

/** Every statement in one document: what the guard rail refuses, whether it is attached as one policy or two. */
export function guardRailPolicy(options: GuardRailOptions): Record<string, unknown> {
  const { path, janitor } = guardRailStatements(options);
  return documentOf([...path, ...janitor]);
}

/** Whether the statements fit one SCP, as AWS counts it (JSON without whitespace). */
export function fitsOnePolicy(options: GuardRailOptions): boolean {
  return JSON.stringify(guardRailPolicy(options)).length <= SCP_MAX_CHARACTERS;
}

/**
 * The guard rail as it is attached: one policy, or (when the statements pass the limit together,
 * say with many exempt principals) two, the default path's and the janitor's. `split` defaults to
 * what the options' own partition needs; the stack decides it in the longest partition when its
 * partition is a token.
 */
export function guardRailPolicies(
  options: GuardRailOptions,
  split = !fitsOnePolicy(options),
): Record<string, unknown>[] {
  const { path, janitor } = guardRailStatements(options);
  return split ? [documentOf(path), documentOf(janitor)] : [documentOf([...path, ...janitor])];
}

/**
 * The policies as AWS counts them: JSON without whitespace, each within the limit. Throws a
 * ConfigError naming the size when even the default path's statements alone are over it.
 */
export function guardRailPolicyTexts(options: GuardRailOptions, split?: boolean): string[] {
  const texts = guardRailPolicies(options, split).map((document) => JSON.stringify(document));
  const over = texts.find((text) => text.length > SCP_MAX_CHARACTERS);
  if (over !== undefined) {
    throw new ConfigError('the guard rail policy', [
      {
        field: 'guardRailExemptPrincipalArns',
        message: `the guard rail policy would be ${over.length} characters, over the ${SCP_MAX_CHARACTERS} of a service control policy even split in two: name fewer exempt principals (use a wildcard pattern)`,
      },
    ]);
  }
  return texts;
}
