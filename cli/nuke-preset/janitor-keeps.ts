import {
  FORWARDER_ROLE_NAME_PREFIX,
  FORWARDER_RULE_NAME,
  STACK_SET_EXECUTION_ROLE_PREFIX,
  STACK_SET_INSTANCE_PREFIX,
} from '../../lambda/contract/names';
import { PROTECT_TAG_KEY, PROTECT_TAG_VALUE } from '../../lambda/contract/tags';

/**
 * What a clean-up tool must leave alone in a member account, whatever the tool: the default path
 * (the default VPC and what hangs on it, and whatever carries the guard rail's tag) and the
 * janitor's own resources. It is what the guard rail refuses (lib/guard-rail-policy.ts): each
 * preset says it in its tool's words (aws-nuke.ts, cloud-nuke.ts).
 */

/** The member roles' names, as deployed (the sweep settings memberRoleName and readOnlyRoleName). */
export interface JanitorRoleNames {
  readonly memberRoleName: string;
  readonly readOnlyRoleName: string;
}

/** A name kept as it is, or every name that starts with it. */
export type NameMatch = { readonly exact: string } | { readonly prefix: string };

export interface JanitorKeeps {
  /** The guard rail's tag on the default path. */
  readonly protectTag: { readonly key: string; readonly value: string };
  /** IAM roles: the two member roles, the forwarder's (one per region), the StackSets' execution roles. */
  readonly roles: readonly NameMatch[];
  /** CloudFormation stacks: the instances of the janitor's StackSets. */
  readonly stacks: readonly NameMatch[];
  /** EventBridge rules on each member account's default bus: the forwarder's. */
  readonly rules: readonly NameMatch[];
}

export function janitorKeeps(names: JanitorRoleNames): JanitorKeeps {
  return {
    protectTag: { key: PROTECT_TAG_KEY, value: PROTECT_TAG_VALUE },
    roles: [
      { exact: names.memberRoleName },
      { exact: names.readOnlyRoleName },
      { prefix: FORWARDER_ROLE_NAME_PREFIX },
      { prefix: STACK_SET_EXECUTION_ROLE_PREFIX },
    ],
    stacks: [{ prefix: STACK_SET_INSTANCE_PREFIX }],
    rules: [{ exact: FORWARDER_RULE_NAME }],
  };
}

/** A name match as an RE2 (Go) and JavaScript regular expression, anchored at the start (and the end when exact). */
export function nameRegex(match: NameMatch, before = ''): string {
  const escape = (text: string) => text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  return 'exact' in match ? `^${before}${escape(match.exact)}$` : `^${before}${escape(match.prefix)}`;
}
