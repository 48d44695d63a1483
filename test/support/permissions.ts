import { HUB_ORGANIZATIONS_ACTIONS, HUB_UNGATED_ACTIONS } from '../../lambda/contract/permissions';
import type { SweepConfig } from '../../lambda/config/schema';
import { memberRoleTemplate } from '../../lib/member-role-template';
import type { RecordedRequest } from './aws-proxy';

interface Statement {
  readonly Action: string | readonly string[];
}
interface MemberRoleTemplate {
  readonly Resources: {
    readonly MemberRole: {
      readonly Properties: { readonly Policies: { PolicyDocument: { Statement: Statement[] } }[] };
    };
  };
}

/**
 * Every action the deployed roles allow for this configuration: the hub function's Organizations
 * reads and AssumeRole, and what the member role template grants (the same template the stack deploys).
 */
export function allowedActions(config: SweepConfig): Set<string> {
  const template = memberRoleTemplate(config) as unknown as MemberRoleTemplate;
  const member = template.Resources.MemberRole.Properties.Policies.flatMap((policy) =>
    policy.PolicyDocument.Statement.flatMap((statement) =>
      typeof statement.Action === 'string' ? [statement.Action] : [...statement.Action],
    ),
  );
  return new Set([...HUB_ORGANIZATIONS_ACTIONS, ...HUB_UNGATED_ACTIONS, 'sts:AssumeRole', ...member]);
}

/** The calls on the wire that the roles of this configuration would refuse (none, when all is well). */
export function callsNotAllowed(requests: readonly RecordedRequest[], config: SweepConfig): string[] {
  const allowed = allowedActions(config);
  const made = new Set(requests.map((request) => `${request.service}:${request.action}`));
  return [...made].filter((action) => !allowed.has(action)).sort();
}
