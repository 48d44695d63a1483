import type { PartStatement } from '../contract/permissions';
import { evaluatePolicy, type AccessRequest, type PolicyDocument, type RequestValue } from './iam-policy';

/**
 * Would the organization's service control policies let the janitor's write role make its repair
 * calls? Pure: the calls come from the role's own statements (`member-writes.ts`), the policies
 * from the root down to a member account (the doctor reads them). What is evaluated, as AWS does:
 * an explicit Deny in any SCP on the way (root, each OU, the account) refuses; and at each of
 * those levels some SCP must allow the call (SCPs are an allow list at every level). What is not:
 * a Deny naming particular resources by id (the janitor's resources are not known before it
 * repairs: each is asked of as `<type>/*`), and the values doctor cannot know (the role's tags,
 * the resources' tags, the source address, the time…), which are read pessimistically: a Deny
 * that depends on one "may deny", and says which.
 */

/** One call the write role makes, as a policy sees it. */
export interface RepairCall {
  readonly action: string;
  /** The resource types it names (`route-table`…); none when the action takes none. */
  readonly resourceTypes: readonly string[];
  /** What the role's own statement requires of the request (`ec2:CreateAction`, `aws:TagKeys`…). */
  readonly context: Readonly<Record<string, RequestValue>>;
}

/** The calls of the write role's statements: one per action and statement. */
export function repairCallsOf(statements: readonly PartStatement[]): RepairCall[] {
  return statements.flatMap((statement) => {
    const { resources } = statement;
    const resourceTypes = resources === '*' ? [] : 'type' in resources ? [resources.type] : [...resources.types];
    const context = requiredContext(statement.condition);
    const actions = typeof statement.actions === 'string' ? [statement.actions] : statement.actions;
    return actions.map((action) => ({ action, resourceTypes, context }));
  });
}

/**
 * What an Allow's condition says its request carries: the value a `StringEquals` names (one value),
 * the set a `ForAllValues:StringEquals` allows. The rest (`Null` guards, other operators) says no
 * value, and the key stays unknown.
 */
function requiredContext(condition: PartStatement['condition']): Record<string, RequestValue> {
  const context: Record<string, RequestValue> = {};
  for (const [operator, keys] of Object.entries(condition ?? {})) {
    for (const [key, value] of Object.entries(keys as Record<string, unknown>)) {
      const values = (Array.isArray(value) ? value : [value]).map(String);
      if (operator === 'ForAllValues:StringEquals') context[key] = values;
      else if (operator === 'StringEquals' && values.length === 1 && values[0] !== undefined) context[key] = values[0];
    }
  }
  return context;
}

/** Where the write role makes a call: its account and region, and the organization above it. */
export interface CallSite {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
  /** The write role's name (`memberRoleName`). */
  readonly roleName: string;
  readonly organizationId: string;
  /** The root and the OUs above the account, root first (for aws:PrincipalOrgPaths). */
  readonly path: readonly string[];
}

/** The write role's ARN in the call's account (aws:PrincipalArn of its session). */
export const writeRoleArn = (site: Pick<CallSite, 'partition' | 'accountId' | 'roleName'>): string =>
  `arn:${site.partition}:iam::${site.accountId}:role/${site.roleName}`;

/**
 * The requests of one call, one per resource it names (IAM authorizes each): what doctor knows of
 * them, every other key unknown.
 */
export function requestsOf(call: RepairCall, site: CallSite): AccessRequest[] {
  const roleArn = writeRoleArn(site);
  const orgPath = `${[site.organizationId, ...site.path].join('/')}/`;
  const context: Record<string, RequestValue> = {
    'aws:PrincipalArn': roleArn,
    'aws:PrincipalAccount': site.accountId,
    'aws:PrincipalOrgID': site.organizationId,
    'aws:PrincipalOrgPaths': [orgPath],
    'aws:PrincipalType': 'AssumedRole',
    'aws:PrincipalIsAWSService': 'false',
    'aws:ViaAWSService': 'false',
    'aws:SecureTransport': 'true',
    'aws:RequestedRegion': site.region,
    'aws:ResourceAccount': site.accountId,
    'aws:ResourceOrgID': site.organizationId,
    'aws:ResourceOrgPaths': [orgPath],
    'ec2:Region': site.region,
    ...call.context,
  };
  const resources =
    call.resourceTypes.length === 0
      ? ['*']
      : call.resourceTypes.map((type) => `arn:${site.partition}:ec2:${site.region}:${site.accountId}:${type}/*`);
  return resources.map((resource) => ({
    principal: { arn: roleArn },
    action: call.action,
    resource,
    context,
    unknownKeys: ['*'],
  }));
}

/** An SCP attached to a root, OU or account; `document` undefined when its content does not parse. */
export interface AttachedScp {
  readonly id: string;
  readonly name: string;
  readonly document: PolicyDocument | undefined;
}

/** The SCPs attached to one level on the way from the root to an account. */
export interface ScpLevel {
  /** `r-…`, `ou-…`, or the account's id. */
  readonly targetId: string;
  readonly scps: readonly AttachedScp[];
}

/** Why a request would be refused: a Deny in one SCP, or no SCP of a level allowing it. */
export type ScpRefusal =
  | {
      readonly kind: 'deny';
      readonly targetId: string;
      readonly scp: Pick<AttachedScp, 'id' | 'name'>;
      readonly statement?: string;
      /** What could not be read, when the Deny applies only on a pessimistic reading. */
      readonly unsure?: string;
    }
  | { readonly kind: 'no-allow'; readonly targetId: string; readonly unsure?: string };

/**
 * Every refusal of one request by the SCPs from the root down (none: they let it through). A level
 * without any SCP restricts nothing: AWS keeps at least one SCP on every root, OU and account while
 * the policy type is enabled, so none means it is not.
 */
export function scpRefusals(levels: readonly ScpLevel[], request: AccessRequest): ScpRefusal[] {
  const refusals: ScpRefusal[] = [];
  for (const { targetId, scps } of levels) {
    if (scps.length === 0) continue;
    let allowed = false;
    let denied = false;
    let unsureAllow: string | undefined;
    for (const scp of scps) {
      const evaluation = scp.document
        ? evaluatePolicy(scp.document, request, 'identity')
        : { decision: 'deny' as const, unsure: 'its content, which does not parse as a policy' };
      if (evaluation.decision === 'deny') {
        denied = true;
        refusals.push({
          kind: 'deny',
          targetId,
          scp: { id: scp.id, name: scp.name },
          ...(evaluation.statement ? { statement: evaluation.statement } : {}),
          ...(evaluation.unsure ? { unsure: evaluation.unsure } : {}),
        });
      } else if (evaluation.decision === 'allow') {
        allowed = true;
      } else {
        unsureAllow ??= evaluation.unsure;
      }
    }
    if (!allowed && !denied)
      refusals.push({ kind: 'no-allow', targetId, ...(unsureAllow ? { unsure: unsureAllow } : {}) });
  }
  return refusals;
}

/** AWS's own SCP, attached everywhere by default: it allows every action, and need not be read. */
export const FULL_AWS_ACCESS: AttachedScp = {
  id: 'p-FullAWSAccess',
  name: 'FullAWSAccess',
  document: { Statement: { Effect: 'Allow', Action: '*', Resource: '*' } },
};
