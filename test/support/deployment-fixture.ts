import {
  CloudFormationClient,
  CreateStackCommand,
  CreateStackInstancesCommand,
  CreateStackSetCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CloudWatchClient,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutPermissionCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { IAMClient, CreateRoleCommand } from '@aws-sdk/client-iam';
import { AttachPolicyCommand, CreatePolicyCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateEventSourceMappingCommand,
  CreateFunctionCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { CreateScheduleCommand, CreateScheduleGroupCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EMULATOR_CREDENTIALS } from './organization-fixture';
import { STACK_OUTPUTS } from '../../lambda/contract/stack-outputs';
import { buildApp } from '../../lib/app';
import { ResolvedTemplate, type CfnTemplate } from './template-walk';

/**
 * Deploys account-janitor into moto the way CloudFormation would deploy the synthesized template
 * (moto cannot run the template itself: no Lambda runtime, no Scheduler or StackSet resources):
 * the real template's names, environment, topic policy, key policy, alarms and member role
 * template, each created through the service's own API, and the stack's outputs on a stack of
 * the same name. Every resource takes its logical id as name, so that the template's references
 * resolve to what exists.
 */

export const HUB_ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const STACK_NAME = 'AccountJanitor';

export interface Deployment {
  readonly resolved: ResolvedTemplate;
  readonly outputs: Record<string, string>;
  readonly functionEnvironment: Record<string, string>;
  readonly alarmNames: readonly string[];
}

export class DeploymentFixture {
  public readonly cloudFormation: CloudFormationClient;
  public readonly cloudWatch: CloudWatchClient;
  public readonly events: EventBridgeClient;
  public readonly iam: IAMClient;
  public readonly kms: KMSClient;
  public readonly lambda: LambdaClient;
  public readonly scheduler: SchedulerClient;
  public readonly sns: SNSClient;
  public readonly sqs: SQSClient;
  public readonly organizations: OrganizationsClient;

  /**
   * @param endpoint moto, where the fixture creates the resources
   * @param clientEndpoint where the code under test reaches moto (the proxy): queue URLs name it,
   *   as an SQS queue URL names the endpoint in AWS
   */
  public constructor(
    endpoint: string,
    private readonly clientEndpoint: string = endpoint,
  ) {
    const common = { endpoint, region: REGION, credentials: EMULATOR_CREDENTIALS };
    this.cloudFormation = new CloudFormationClient(common);
    this.cloudWatch = new CloudWatchClient(common);
    this.events = new EventBridgeClient(common);
    this.iam = new IAMClient(common);
    this.kms = new KMSClient(common);
    this.lambda = new LambdaClient(common);
    this.scheduler = new SchedulerClient(common);
    this.sns = new SNSClient(common);
    this.sqs = new SQSClient(common);
    this.organizations = new OrganizationsClient(common);
  }

  /** The stack's template for this context, bundling skipped. */
  public static synthesize(context: Record<string, unknown>): CfnTemplate {
    const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
    const { stack } = buildApp(app);
    return Template.fromStack(stack).toJSON() as CfnTemplate;
  }

  /**
   * Deploys the template. `change` edits the template first (a broken deployment); the options
   * leave out parts a broken deployment lacks.
   */
  public async deploy(
    template: CfnTemplate,
    options: { subscribe?: boolean; heartbeatAt?: Date; memberOuId?: string } = {},
  ): Promise<Deployment> {
    const resolved = new ResolvedTemplate(template, { account: HUB_ACCOUNT, region: REGION, partition: 'aws' });
    const [keyId] = resolved.ofType('AWS::KMS::Key').map(([id]) => id);
    const [topicId] = resolved.ofType('AWS::SNS::Topic').map(([id]) => id);
    const [queueId] = resolved
      .ofType('AWS::SQS::Queue')
      .map(([id]) => id)
      .filter((id) => id.includes('DeadLetterQueue'));
    const [functionId] = resolved.ofType('AWS::Lambda::Function').map(([id]) => id);
    const [scheduleId] = resolved.ofType('AWS::Scheduler::Schedule').map(([id]) => id);
    if (!keyId || !topicId || !queueId || !functionId || !scheduleId) throw new Error('the template lacks a resource');

    const { KeyMetadata: key } = await this.kms.send(
      new CreateKeyCommand({ Policy: JSON.stringify(resolved.property(keyId, 'KeyPolicy')) }),
    );
    const topicPolicies = resolved.ofType('AWS::SNS::TopicPolicy');
    const topicPolicy = topicPolicies[0] ? resolved.property(topicPolicies[0][0], 'PolicyDocument') : undefined;
    const { TopicArn: topicArn } = await this.sns.send(
      new CreateTopicCommand({
        Name: topicId,
        Attributes: {
          KmsMasterKeyId: String(key?.Arn),
          ...(topicPolicy ? { Policy: JSON.stringify(topicPolicy) } : {}),
        },
      }),
    );
    if (options.subscribe !== false) {
      for (const [id] of resolved.ofType('AWS::SNS::Subscription')) {
        await this.sns.send(
          new SubscribeCommand({
            TopicArn: topicArn,
            Protocol: String(resolved.property(id, 'Protocol')),
            Endpoint: String(resolved.property(id, 'Endpoint')),
          }),
        );
      }
    }
    const { QueueUrl: queueUrl } = await this.sqs.send(new CreateQueueCommand({ QueueName: queueId }));

    const { Role: role } = await this.iam.send(
      new CreateRoleCommand({
        RoleName: `${functionId}Role`,
        AssumeRolePolicyDocument: JSON.stringify({
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      }),
    );
    const environment = (resolved.property(functionId, 'Environment') as { Variables: Record<string, string> })
      .Variables;
    await this.lambda.send(
      new CreateFunctionCommand({
        FunctionName: functionId,
        Runtime: 'nodejs20.x',
        Role: String(role?.Arn),
        Handler: 'index.handler',
        Code: { ZipFile: ZIP_WITH_ONE_FILE },
        Environment: { Variables: environment },
      }),
    );
    const schedule = resolved.property(scheduleId, 'Target') as {
      Arn: string;
      DeadLetterConfig?: { Arn: string };
      RoleArn: string;
    };
    await this.scheduler.send(
      new CreateScheduleCommand({
        Name: scheduleId,
        ScheduleExpression: String(resolved.property(scheduleId, 'ScheduleExpression')),
        ScheduleExpressionTimezone: String(resolved.property(scheduleId, 'ScheduleExpressionTimezone')),
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: resolved.property(scheduleId, 'State') === 'DISABLED' ? 'DISABLED' : 'ENABLED',
        // The function, or (fanOut=distributed) the state machine, as the template says.
        Target: { Arn: String(schedule.Arn), RoleArn: String(role?.Arn), DeadLetterConfig: schedule.DeadLetterConfig },
      }),
    );

    await this.deployEventPath(resolved, functionId, String(role?.Arn));

    const alarmNames: string[] = [];
    for (const [id] of resolved.ofType('AWS::CloudWatch::Alarm')) {
      const property = (name: string) => resolved.property(id, name) as never;
      const alarmName = String(property('AlarmName'));
      alarmNames.push(alarmName);
      const input: PutMetricAlarmCommandInput = {
        AlarmName: alarmName,
        AlarmDescription: property('AlarmDescription'),
        AlarmActions: property('AlarmActions'),
        MetricName: property('MetricName'),
        // A metric math alarm (DistributedRunFailed) has its metrics here instead.
        Metrics: property('Metrics'),
        Namespace: property('Namespace'),
        Dimensions: property('Dimensions'),
        Statistic: property('Statistic'),
        Period: property('Period'),
        EvaluationPeriods: property('EvaluationPeriods'),
        Threshold: property('Threshold'),
        ComparisonOperator: property('ComparisonOperator'),
        TreatMissingData: property('TreatMissingData'),
      };
      await this.cloudWatch.send(new PutMetricAlarmCommand(input));
    }

    for (const [id] of resolved.ofType('AWS::CloudFormation::StackSet')) {
      const name = String(resolved.property(id, 'StackSetName'));
      const parameters = resolved.property(id, 'Parameters') as { ParameterKey: string; ParameterValue: string }[];
      await this.cloudFormation.send(
        new CreateStackSetCommand({
          StackSetName: name,
          TemplateBody: String(resolved.property(id, 'TemplateBody')),
          PermissionModel: 'SERVICE_MANAGED',
          AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
          Capabilities: ['CAPABILITY_NAMED_IAM'],
          Parameters: parameters,
        }),
      );
      const groups = resolved.property(id, 'StackInstancesGroup') as {
        DeploymentTargets: { OrganizationalUnitIds: string[] };
        Regions: string[];
      }[];
      for (const group of groups) {
        await this.cloudFormation.send(
          new CreateStackInstancesCommand({
            StackSetName: name,
            DeploymentTargets: { OrganizationalUnitIds: group.DeploymentTargets.OrganizationalUnitIds },
            Regions: group.Regions,
          }),
        );
      }
    }

    const outputs = Object.fromEntries(
      Object.entries((template as { Outputs?: Record<string, { Value: unknown }> }).Outputs ?? {}).map(
        ([key, output]) => [key, String(resolved.resolve(output.Value))],
      ),
    );
    // The guard rail's SCP (protectDefaultPath=enforce), attached as the template says: one, or two.
    const guardRailIds: string[] = [];
    for (const [id] of resolved.ofType('AWS::Organizations::Policy')) {
      const { Policy: policy } = await this.organizations.send(
        new CreatePolicyCommand({
          Name: String(resolved.property(id, 'Name')),
          Description: String(resolved.property(id, 'Description')),
          Type: 'SERVICE_CONTROL_POLICY',
          Content: JSON.stringify(resolved.property(id, 'Content')),
        }),
      );
      const policyId = String(policy?.PolicySummary?.Id);
      for (const targetId of resolved.property(id, 'TargetIds') as string[]) {
        await this.organizations.send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: targetId }));
      }
      guardRailIds.push(policyId);
      outputs[STACK_OUTPUTS.guardRailPolicyId] = guardRailIds.join(',');
    }
    outputs[STACK_OUTPUTS.deadLetterQueueUrl] = String(queueUrl).replace(/^https?:\/\/[^/]+/, this.clientEndpoint);
    await this.cloudFormation.send(
      new CreateStackCommand({
        StackName: STACK_NAME,
        TemplateBody: JSON.stringify({
          Resources: { Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' } },
          Outputs: Object.fromEntries(Object.entries(outputs).map(([key, value]) => [key, { Value: value }])),
        }),
      }),
    );

    const heartbeatAt = options.heartbeatAt ?? new Date(Date.now() - 3_600_000);
    const mode = environment['JANITOR_MODE'] ?? 'remediate';
    await this.cloudWatch.send(
      new PutMetricDataCommand({
        Namespace: 'AccountJanitor',
        MetricData: [
          {
            MetricName: 'TargetsChecked',
            Dimensions: [
              { Name: 'service', Value: 'account-janitor' },
              { Name: 'Mode', Value: mode },
            ],
            Timestamp: heartbeatAt,
            Value: 3,
            Unit: 'Count',
          },
        ],
      }),
    );
    return { resolved, outputs, functionEnvironment: environment, alarmNames };
  }

  /**
   * The event-driven repair's hub half, when the template has it: the bus with its policy, the
   * other functions (the intake), its queue and the mapping it reads it by, the rule on the bus with
   * its target, the repairs' schedule group.
   */
  private async deployEventPath(resolved: ResolvedTemplate, sweepFunctionId: string, roleArn: string): Promise<void> {
    for (const [id] of resolved.ofType('AWS::Events::EventBus')) {
      const name = String(resolved.property(id, 'Name'));
      await this.events.send(new CreateEventBusCommand({ Name: name }));
      const policy = resolved.property(id, 'Policy');
      if (policy)
        await this.events.send(new PutPermissionCommand({ EventBusName: name, Policy: JSON.stringify(policy) }));
    }
    for (const [id] of resolved.ofType('AWS::Lambda::Function')) {
      if (id === sweepFunctionId) continue;
      await this.lambda.send(
        new CreateFunctionCommand({
          FunctionName: id,
          Runtime: 'nodejs20.x',
          Role: roleArn,
          Handler: 'index.handler',
          Code: { ZipFile: ZIP_WITH_ONE_FILE },
        }),
      );
    }
    // The intake's queue, and the mapping through which the intake reads it.
    for (const [id] of resolved.ofType('AWS::SQS::Queue')) {
      await this.sqs.send(new CreateQueueCommand({ QueueName: id }));
    }
    for (const [id] of resolved.ofType('AWS::Lambda::EventSourceMapping')) {
      await this.lambda.send(
        new CreateEventSourceMappingCommand({
          EventSourceArn: String(resolved.property(id, 'EventSourceArn')),
          FunctionName: String(resolved.property(id, 'FunctionName')),
          BatchSize: Number(resolved.property(id, 'BatchSize')),
        }),
      );
    }
    for (const [id] of resolved.ofType('AWS::Events::Rule')) {
      const busName = resolved.property(id, 'EventBusName') as string | undefined;
      await this.events.send(
        new PutRuleCommand({
          Name: id,
          EventBusName: busName,
          EventPattern: JSON.stringify(resolved.property(id, 'EventPattern')),
          State: resolved.property(id, 'State') === 'DISABLED' ? 'DISABLED' : 'ENABLED',
        }),
      );
      const targets = resolved.property(id, 'Targets') as { Id: string; Arn: string }[];
      await this.events.send(
        new PutTargetsCommand({
          Rule: id,
          EventBusName: busName,
          Targets: targets.map((target) => ({ Id: target.Id, Arn: target.Arn })),
        }),
      );
    }
    for (const [id] of resolved.ofType('AWS::Scheduler::ScheduleGroup')) {
      const name = resolved.property(id, 'Name');
      await this.scheduler.send(new CreateScheduleGroupCommand({ Name: typeof name === 'string' ? name : id }));
    }
  }

  /** The function's environment changed after the deployment (a hand edit, a drifted setting). */
  public async changeFunctionEnvironment(deployment: Deployment, change: Record<string, string>): Promise<void> {
    await this.lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: String(deployment.outputs[STACK_OUTPUTS.functionName]),
        Environment: { Variables: { ...deployment.functionEnvironment, ...change } },
      }),
    );
  }

  public destroy(): void {
    for (const client of [
      this.cloudFormation,
      this.cloudWatch,
      this.events,
      this.iam,
      this.kms,
      this.lambda,
      this.scheduler,
      this.sns,
      this.sqs,
      this.organizations,
    ]) {
      client.destroy();
    }
  }
}

/** A zip archive holding one empty file `index.js`: Lambda wants code, moto never runs it. */
const ZIP_WITH_ONE_FILE = Buffer.from(
  'UEsDBBQAAAAAAPurel0AAAAAAAAAAAAAAAAIAAAAaW5kZXguanNQSwECFAMUAAAAAAD7q3pdAAAAAAAAAAAAAAAACAAAAAAAAAAAAAAAgAEAAAAAaW5kZXguanNQSwUGAAAAAAEAAQA2AAAAJgAAAAAA',
  'base64',
);
