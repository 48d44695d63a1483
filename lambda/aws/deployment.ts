import {
  CloudFormationClient,
  DescribeStacksCommand,
  paginateListStackInstances,
  type CallAs,
} from '@aws-sdk/client-cloudformation';
import {
  CloudWatchClient,
  GetMetricStatisticsCommand,
  paginateDescribeAlarms,
  SetAlarmStateCommand,
  type StateValue,
} from '@aws-sdk/client-cloudwatch';
import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetTopicAttributesCommand, paginateListSubscriptionsByTopic, type SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { AwsClients } from './clients';

/**
 * The read calls `account-janitor doctor` makes on a deployment in the hub account (and its one
 * write, SetAlarmState, only with --send-test-notification). Each returns plain values.
 */

export interface DeployedStack {
  readonly status: string;
  readonly outputs: Readonly<Record<string, string>>;
}

/** The stack, or `undefined` when no stack has that name. */
export async function describeStack(clients: AwsClients, stackName: string): Promise<DeployedStack | undefined> {
  try {
    const { Stacks: stacks } = await clients
      .hub(CloudFormationClient)
      .send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = stacks?.[0];
    if (!stack) return undefined;
    return {
      status: String(stack.StackStatus),
      outputs: Object.fromEntries(
        (stack.Outputs ?? []).map((output): [string, string] => [String(output.OutputKey), output.OutputValue ?? '']),
      ),
    };
  } catch (error) {
    // CloudFormation answers a missing stack with a ValidationError "Stack with id X does not exist".
    if (error instanceof Error && /does not exist/.test(error.message)) return undefined;
    throw error;
  }
}

export interface DeployedFunction {
  readonly arn: string;
  readonly state: string;
  readonly environment: Readonly<Record<string, string>>;
}

export async function describeFunction(clients: AwsClients, functionName: string): Promise<DeployedFunction> {
  const configuration = await clients
    .hub(LambdaClient)
    .send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
  return {
    arn: String(configuration.FunctionArn),
    state: String(configuration.State ?? 'Active'),
    environment: configuration.Environment?.Variables ?? {},
  };
}

export interface DeployedSchedule {
  readonly state: string;
  readonly targetArn: string;
  readonly deadLetterArn: string | undefined;
  readonly timeZone: string | undefined;
  readonly expression: string;
}

export async function describeSchedule(clients: AwsClients, name: string, group: string): Promise<DeployedSchedule> {
  const schedule = await clients.hub(SchedulerClient).send(new GetScheduleCommand({ Name: name, GroupName: group }));
  return {
    state: String(schedule.State),
    targetArn: String(schedule.Target?.Arn),
    deadLetterArn: schedule.Target?.DeadLetterConfig?.Arn,
    timeZone: schedule.ScheduleExpressionTimezone,
    expression: String(schedule.ScheduleExpression),
  };
}

/** Messages waiting in the queue, visible or in flight. */
export async function queueDepth(clients: AwsClients, queueUrl: string): Promise<number> {
  const { Attributes: attributes } = await clients.hub(SQSClient).send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(attributes?.['ApproximateNumberOfMessages'] ?? 0) +
    Number(attributes?.['ApproximateNumberOfMessagesNotVisible'] ?? 0)
  );
}

export interface DeployedTopic {
  readonly policy: string | undefined;
  readonly kmsMasterKeyId: string | undefined;
  /** Subscription ARNs, `PendingConfirmation` for those not confirmed yet, with their protocol and endpoint. */
  readonly subscriptions: readonly { arn: string; protocol: string; endpoint: string }[];
}

export async function describeTopic(sns: SNSClient, topicArn: string): Promise<DeployedTopic> {
  const [{ Attributes: attributes }, subscriptions] = await Promise.all([
    sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn })),
    (async () => {
      const all: { arn: string; protocol: string; endpoint: string }[] = [];
      for await (const page of paginateListSubscriptionsByTopic({ client: sns }, { TopicArn: topicArn })) {
        for (const subscription of page.Subscriptions ?? []) {
          all.push({
            arn: String(subscription.SubscriptionArn),
            protocol: String(subscription.Protocol),
            endpoint: String(subscription.Endpoint),
          });
        }
      }
      return all;
    })(),
  ]);
  return { policy: attributes?.['Policy'], kmsMasterKeyId: attributes?.['KmsMasterKeyId'], subscriptions };
}

export interface DeployedKey {
  readonly arn: string;
  /** `AWS` for an AWS managed key (alias/aws/sns), `CUSTOMER` for the stack's own. */
  readonly manager: string;
  readonly policy: string | undefined;
}

export async function describeKey(clients: AwsClients, keyId: string): Promise<DeployedKey> {
  const kms = clients.hub(KMSClient);
  const { KeyMetadata: metadata } = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
  const arn = String(metadata?.Arn);
  const manager = String(metadata?.KeyManager ?? 'CUSTOMER');
  if (manager === 'AWS') return { arn, manager, policy: undefined };
  const { Policy: policy } = await kms.send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: 'default' }));
  return { arn, manager, policy };
}

export interface DeployedAlarm {
  readonly name: string;
  readonly arn: string;
  readonly state: string;
  readonly actionsEnabled: boolean;
  readonly alarmActions: readonly string[];
  /** Its OK and INSUFFICIENT_DATA actions: a state change fires those too. */
  readonly otherActions: readonly string[];
}

export async function describeAlarms(clients: AwsClients, namePrefix: string): Promise<DeployedAlarm[]> {
  const alarms: DeployedAlarm[] = [];
  for await (const page of paginateDescribeAlarms(
    { client: clients.hub(CloudWatchClient) },
    { AlarmNamePrefix: namePrefix, AlarmTypes: ['MetricAlarm'] },
  )) {
    for (const alarm of page.MetricAlarms ?? []) {
      alarms.push({
        name: String(alarm.AlarmName),
        arn: String(alarm.AlarmArn),
        state: String(alarm.StateValue),
        actionsEnabled: alarm.ActionsEnabled !== false,
        alarmActions: alarm.AlarmActions ?? [],
        otherActions: [...(alarm.OKActions ?? []), ...(alarm.InsufficientDataActions ?? [])],
      });
    }
  }
  return alarms;
}

/** The newest datapoint of a metric in the window (SampleCount > 0), or `undefined`. */
export async function lastDatapoint(
  clients: AwsClients,
  metric: { namespace: string; name: string; dimensions: Readonly<Record<string, string>> },
  since: Date,
  until: Date,
): Promise<Date | undefined> {
  const { Datapoints: datapoints } = await clients.hub(CloudWatchClient).send(
    new GetMetricStatisticsCommand({
      Namespace: metric.namespace,
      MetricName: metric.name,
      Dimensions: Object.entries(metric.dimensions).map(([Name, Value]) => ({ Name, Value })),
      StartTime: since,
      EndTime: until,
      Period: 3600,
      Statistics: ['SampleCount'],
    }),
  );
  const times = (datapoints ?? [])
    .filter((point) => (point.SampleCount ?? 0) > 0 && point.Timestamp)
    .map((point) => (point.Timestamp as Date).getTime());
  return times.length > 0 ? new Date(Math.max(...times)) : undefined;
}

export async function setAlarmState(
  clients: AwsClients,
  alarmName: string,
  state: StateValue,
  reason: string,
): Promise<void> {
  await clients
    .hub(CloudWatchClient)
    .send(new SetAlarmStateCommand({ AlarmName: alarmName, StateValue: state, StateReason: reason }));
}

/** The StackSet's instances: per account, each region's status (CURRENT, OUTDATED, INOPERABLE…). */
export async function stackInstancesByAccount(
  clients: AwsClients,
  stackSetName: string,
  callAs: string,
): Promise<Map<string, Map<string, string>>> {
  const instances = new Map<string, Map<string, string>>();
  for await (const page of paginateListStackInstances(
    { client: clients.hub(CloudFormationClient) },
    { StackSetName: stackSetName, CallAs: callAs as CallAs },
  )) {
    for (const instance of page.Summaries ?? []) {
      if (!instance.Account) continue;
      const regions = instances.get(instance.Account) ?? new Map<string, string>();
      regions.set(String(instance.Region), String(instance.Status));
      instances.set(instance.Account, regions);
    }
  }
  return instances;
}

/**
 * The StackSet's instance status per account: CURRENT, OUTDATED, INOPERABLE… An account with
 * instances in several regions shows the first that is not CURRENT, if any.
 */
export async function stackInstanceStatuses(
  clients: AwsClients,
  stackSetName: string,
  callAs: string,
): Promise<Map<string, string>> {
  const statuses = new Map<string, string>();
  for (const [account, regions] of await stackInstancesByAccount(clients, stackSetName, callAs)) {
    statuses.set(account, [...regions.values()].find((status) => status !== 'CURRENT') ?? 'CURRENT');
  }
  return statuses;
}
