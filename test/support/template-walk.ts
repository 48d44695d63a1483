import type { PolicyDocument } from '../../lambda/core/iam-policy';
import { deliveryProblems, type NotificationPath, type Publisher } from '../../lambda/core/notification-delivery';

/**
 * The synthesized template as AWS would deploy it, for walking what the emulator never checks:
 * intrinsic functions resolved to the values CloudFormation would give (physical ids derived from
 * the logical ids), then every alarm → its topic → the topic policy → the topic's key policy, and
 * the function role → its policies → the same topic and key, through the same pure evaluator that
 * `account-janitor doctor` uses on live resources.
 */

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
}
export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Parameters?: Record<string, { Type: string; Default?: string }>;
  Conditions?: Record<string, unknown>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
}

export interface Deployment {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
}

export const DEFAULT_DEPLOYMENT: Deployment = { account: '111111111111', region: 'eu-west-1', partition: 'aws' };

export class ResolvedTemplate {
  public constructor(
    public readonly template: CfnTemplate,
    public readonly deployment: Deployment = DEFAULT_DEPLOYMENT,
    /** Values of the template's parameters (a StackSet's template, say). */
    public readonly parameters: Readonly<Record<string, string>> = {},
  ) {}

  public ofType(type: string): [string, CfnResource][] {
    return Object.entries(this.template.Resources).filter(([, resource]) => resource.Type === type);
  }

  /** A property with every intrinsic function resolved. */
  public property(logicalId: string, name: string): unknown {
    return this.resolve(this.template.Resources[logicalId]?.Properties?.[name]);
  }

  public resolve(value: unknown): unknown {
    if (Array.isArray(value)) {
      return value.map((item) => this.resolve(item)).filter((item) => item !== NO_VALUE);
    }
    if (typeof value !== 'object' || value === null) return value;
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1) {
      const [key] = keys as [string];
      const argument = record[key];
      switch (key) {
        case 'Ref':
          return this.ref(String(argument));
        case 'Fn::GetAtt': {
          const [id, attribute] = argument as [string, string];
          return this.getAtt(id, attribute);
        }
        case 'Fn::Join': {
          const [separator, parts] = argument as [string, unknown[]];
          return (this.resolve(parts) as unknown[]).map(String).join(separator);
        }
        case 'Fn::Sub':
          return String(argument).replace(/\$\{([^}]+)\}/g, (_, name: string) =>
            String(name.includes('.') ? this.getAtt(...(name.split('.') as [string, string])) : this.ref(name)),
          );
        case 'Fn::If': {
          const [condition, whenTrue, whenFalse] = argument as [string, unknown, unknown];
          return this.resolve(this.condition(condition) ? whenTrue : whenFalse);
        }
        case 'Fn::Select': {
          const [index, list] = argument as [unknown, unknown];
          return (this.resolve(list) as unknown[])[Number(this.resolve(index))];
        }
        case 'Fn::Split': {
          const [separator, text] = argument as [string, unknown];
          return String(this.resolve(text)).split(separator);
        }
        case 'Fn::FindInMap': {
          const [map, top, second] = (argument as unknown[]).map((part) => this.resolve(part)) as string[];
          return this.template.Mappings?.[String(map)]?.[String(top)]?.[String(second)];
        }
        default:
          break;
      }
    }
    return Object.fromEntries(keys.map((key) => [key, this.resolve(record[key])]));
  }

  private ref(name: string): unknown {
    const { account, region, partition } = this.deployment;
    const pseudo: Record<string, unknown> = {
      'AWS::AccountId': account,
      'AWS::Region': region,
      'AWS::Partition': partition,
      'AWS::URLSuffix': partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
      'AWS::StackName': 'AccountJanitor',
      'AWS::NoValue': NO_VALUE,
    };
    if (name in pseudo) return pseudo[name];
    const declared = this.template.Parameters?.[name];
    const given = this.parameters[name] ?? declared?.Default;
    if (given !== undefined) return declared?.Type === 'CommaDelimitedList' ? given.split(',') : given;
    const resource = this.template.Resources[name];
    if (!resource) throw new Error(`Ref to unknown ${name}`);
    switch (resource.Type) {
      case 'AWS::SNS::Topic':
        return this.arn('sns', `${name}`);
      case 'AWS::CloudWatch::Alarm':
        return typeof resource.Properties?.['AlarmName'] === 'string' ? resource.Properties['AlarmName'] : name;
      case 'AWS::StepFunctions::StateMachine':
        return this.arn('states', `stateMachine:${name}`);
      case 'AWS::Events::EventBus':
        // A bus's Ref is its name (the template names it).
        return typeof resource.Properties?.['Name'] === 'string' ? resource.Properties['Name'] : name;
      default:
        return name;
    }
  }

  /** A template condition, as CloudFormation evaluates it from the parameters. */
  public condition(name: string): boolean {
    const definition = this.template.Conditions?.[name];
    if (definition === undefined) throw new Error(`unknown condition ${name}`);
    return this.conditionValue(definition);
  }

  private conditionValue(definition: unknown): boolean {
    const [[operator, argument]] = Object.entries(definition as Record<string, unknown>) as [[string, unknown]];
    const items = argument as unknown[];
    switch (operator) {
      case 'Fn::Equals':
        return JSON.stringify(this.resolve(items[0])) === JSON.stringify(this.resolve(items[1]));
      case 'Fn::Not':
        return !this.conditionValue(items[0]);
      case 'Fn::And':
        return items.every((item) => this.conditionValue(item));
      case 'Fn::Or':
        return items.some((item) => this.conditionValue(item));
      case 'Condition':
        return this.condition(String(argument));
      default:
        throw new Error(`unknown condition function ${operator}`);
    }
  }

  /** The ARN of a resource, as `Fn::GetAtt [id, Arn]` resolves. */
  public getAttArn(id: string): string {
    return String(this.getAtt(id, 'Arn'));
  }

  private getAtt(id: string, attribute: string): unknown {
    const resource = this.template.Resources[id];
    if (!resource) throw new Error(`GetAtt of unknown ${id}`);
    if (attribute !== 'Arn' && attribute !== 'TopicArn') return `${id}.${attribute}`;
    switch (resource.Type) {
      case 'AWS::KMS::Key':
        return this.arn('kms', `key/${id}`);
      case 'AWS::IAM::Role':
        return `arn:${this.deployment.partition}:iam::${this.deployment.account}:role/${id}`;
      case 'AWS::SNS::Topic':
        return this.arn('sns', id);
      case 'AWS::SQS::Queue':
        return this.arn('sqs', id);
      case 'AWS::Lambda::Function':
        return this.arn('lambda', `function:${id}`);
      case 'AWS::CloudWatch::Alarm':
        return this.arn('cloudwatch', `alarm:${String(this.ref(id))}`);
      case 'AWS::Events::EventBus':
        return this.arn('events', `event-bus/${String(resource.Properties?.['Name'])}`);
      case 'AWS::Logs::LogGroup':
        // A log group's Arn attribute ends in :* (its streams).
        return this.arn('logs', `log-group:${id}:*`);
      case 'AWS::S3::Bucket':
        return `arn:${this.deployment.partition}:s3:::${id.toLowerCase()}`;
      case 'AWS::StepFunctions::StateMachine':
        return this.arn('states', `stateMachine:${id}`);
      case 'AWS::DynamoDB::GlobalTable':
      case 'AWS::DynamoDB::Table':
        return this.arn('dynamodb', `table/${id}`);
      default:
        return this.arn(resource.Type.split('::')[1]?.toLowerCase() ?? 'unknown', id);
    }
  }

  private arn(service: string, resource: string): string {
    const { account, region, partition } = this.deployment;
    return `arn:${partition}:${service}:${region}:${account}:${resource}`;
  }
}

const NO_VALUE = Symbol('AWS::NoValue');

/** The topic (by ARN) as the walk needs it: its policy, its key and the key's policy. */
export function notificationPath(resolved: ResolvedTemplate, topicArn: string): NotificationPath | string {
  const topic = resolved.ofType('AWS::SNS::Topic').find(([id]) => resolved.resolve({ Ref: id }) === topicArn);
  if (!topic) return `no topic ${topicArn} in the template`;
  const policies = resolved
    .ofType('AWS::SNS::TopicPolicy')
    .filter(([id]) => (resolved.property(id, 'Topics') as string[]).includes(topicArn));
  // AWS keeps one policy per topic: a second TopicPolicy replaces the first.
  if (policies.length > 1) return `${policies.length} topic policies for ${topicArn}: only one would be in force`;
  const topicPolicy = policies[0] ? (resolved.property(policies[0][0], 'PolicyDocument') as PolicyDocument) : undefined;
  const keyReference = resolved.property(topic[0], 'KmsMasterKeyId') as string | undefined;
  if (keyReference === undefined) return { topicArn, topicPolicy };
  if (keyReference === 'alias/aws/sns') return { topicArn, topicPolicy, keyArn: keyReference, awsManagedKey: true };
  const key = resolved
    .ofType('AWS::KMS::Key')
    .find(([id]) => resolved.resolve({ 'Fn::GetAtt': [id, 'Arn'] }) === keyReference || id === keyReference);
  if (!key) return `the key ${keyReference} of ${topicArn} is not in the template`;
  return {
    topicArn,
    topicPolicy,
    keyArn: resolved.resolve({ 'Fn::GetAtt': [key[0], 'Arn'] }) as string,
    keyPolicy: resolved.property(key[0], 'KeyPolicy') as PolicyDocument,
  };
}

/** Every alarm, and every action of it, that could not deliver; empty when all can. */
export function alarmDeliveryProblems(resolved: ResolvedTemplate): string[] {
  const problems: string[] = [];
  const alarms = resolved.ofType('AWS::CloudWatch::Alarm');
  if (alarms.length === 0) problems.push('the template has no alarm');
  for (const [id] of alarms) {
    const alarmName = resolved.property(id, 'AlarmName');
    const name = typeof alarmName === 'string' ? alarmName : id;
    const actions = (resolved.property(id, 'AlarmActions') as string[] | undefined) ?? [];
    if (actions.length === 0) problems.push(`alarm ${name} has no alarm action`);
    const publisher: Publisher = {
      name: `alarm ${name}`,
      principal: { service: 'cloudwatch.amazonaws.com' },
      sourceArn: resolved.resolve({ 'Fn::GetAtt': [id, 'Arn'] }) as string,
    };
    for (const topicArn of actions) {
      const path = notificationPath(resolved, topicArn);
      problems.push(...(typeof path === 'string' ? [`alarm ${name}: ${path}`] : deliveryProblems(publisher, path)));
    }
  }
  return problems;
}

/** Each function role publishing the run digest to the topic in its function's environment (the sweep's, the distributed sweep's). */
export function digestDeliveryProblems(resolved: ResolvedTemplate, topicVariable: string): string[] {
  const functions = resolved.ofType('AWS::Lambda::Function').filter(([id]) => {
    const environment = resolved.property(id, 'Environment') as { Variables?: Record<string, unknown> } | undefined;
    return environment?.Variables?.[topicVariable] !== undefined;
  });
  if (functions.length === 0) return ['no function publishes a digest'];
  return functions.flatMap(([functionId]) => functionDigestProblems(resolved, functionId, topicVariable));
}

function functionDigestProblems(resolved: ResolvedTemplate, functionId: string, topicVariable: string): string[] {
  const topicArn = String(
    (resolved.property(functionId, 'Environment') as { Variables: Record<string, unknown> }).Variables[topicVariable],
  );
  const roleArn = String(resolved.property(functionId, 'Role'));
  const roleId = resolved
    .ofType('AWS::IAM::Role')
    .find(([id]) => resolved.resolve({ 'Fn::GetAtt': [id, 'Arn'] }) === roleArn)?.[0];
  if (!roleId) return [`the function role ${roleArn} is not in the template`];
  const inline = (
    (resolved.property(roleId, 'Policies') as { PolicyDocument: PolicyDocument }[] | undefined) ?? []
  ).map((policy) => policy.PolicyDocument);
  const attached = resolved
    .ofType('AWS::IAM::Policy')
    .filter(([id]) => ((resolved.property(id, 'Roles') as string[] | undefined) ?? []).includes(roleId))
    .map(([id]) => resolved.property(id, 'PolicyDocument') as PolicyDocument);
  const path = notificationPath(resolved, topicArn);
  if (typeof path === 'string') return [`the function role: ${path}`];
  return deliveryProblems(
    { name: `the role of ${functionId}`, principal: { arn: roleArn }, identityPolicies: [...inline, ...attached] },
    path,
  );
}
