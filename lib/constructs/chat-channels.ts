import { ArnFormat, Aws, CfnRule, Fn, Stack, Validations } from 'aws-cdk-lib';
import { nagEnvironment } from './nag';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { knownPartition } from './event-regions';

/**
 * Slack and Microsoft Teams channels through AWS Chatbot (now Amazon Q Developer in chat
 * applications), subscribed to the notifications topic: the alarms render natively, the digest in
 * its custom notification form (lambda/report/chat.ts). The channels are for reading: their role
 * and their guardrail allow CloudWatch's reads of this janitor's alarms and of metrics, nothing else, so a
 * channel is never a way to act in the hub, or to read its logs, whatever its members type; Chatbot
 * may assume the role for this account's configurations only (`aws:SourceAccount`). The
 * configurations' names carry the region: Chatbot's names are the account's, across regions. The Slack workspace or Teams tenant is authorized once in
 * Chatbot's console; Chatbot exists in the `aws` partition only.
 */

export interface SlackChannel {
  readonly workspaceId: string;
  readonly channelId: string;
}

export interface TeamsChannel {
  readonly teamId: string;
  /** URL-encoded, as Chatbot's console shows it (`19%3a…%40thread.tacv2`). */
  readonly channelId: string;
  readonly tenantId: string;
}

export interface ChatChannelsProps {
  readonly topic: sns.ITopic;
  readonly slack: readonly SlackChannel[];
  readonly teams: readonly TeamsChannel[];
  /** The configurations' names start with it (the stack's name). */
  readonly name: string;
  /** The alarms the channels may describe: this janitor's (`<name>_`). */
  readonly alarmNamePrefix: string;
}

/**
 * What the channels may do, and never more (their role's permissions and their guardrail): read
 * CloudWatch's alarms and metrics. Chatbot assumes the role to render an alarm notification: the
 * alarm and its history (CHAT_ALARM_ACTIONS), and the chart of the metric it watches
 * (CHAT_METRIC_ACTIONS: the data, the statistics, the widget image, the metric's listing; metrics
 * have no ARN). Not AWS's CloudWatchReadOnlyAccess, which also reads every log group (the intake's
 * callers' IPs among them).
 */
export const CHAT_ALARM_ACTIONS = ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'];
export const CHAT_METRIC_ACTIONS = [
  'cloudwatch:GetMetricData',
  'cloudwatch:GetMetricStatistics',
  'cloudwatch:GetMetricWidgetImage',
  'cloudwatch:ListMetrics',
];

export class ChatChannels extends Construct {
  /** The channel configurations' ARNs, Slack's then Teams' (what `doctor` checks). */
  public readonly configurationArns: string[] = [];
  public readonly role: iam.Role;

  public constructor(scope: Construct, id: string, props: ChatChannelsProps) {
    super(scope, id);
    const { region } = Stack.of(this);
    // Outside the aws partition AccountJanitor refuses the channels (account-janitor-rules.ts).
    const partition = knownPartition(this);
    if (partition === undefined) {
      // A template synthesized without an environment refuses to deploy outside the aws partition.
      new CfnRule(this, 'ChatbotPartition', {
        assertions: [
          {
            assert: Fn.conditionEquals(Aws.PARTITION, 'aws'),
            assertDescription: 'slackChannels, teamsChannels: AWS Chatbot is available in the aws partition only',
          },
        ],
      });
    }
    const readOnly = this.readOnlyPolicy(props.alarmNamePrefix);
    // Chatbot may assume the role for this account's channel configurations only (aws:SourceAccount),
    // never as the deputy of a configuration in another account that names this role's ARN.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('chatbot.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'account-janitor chat channels: read CloudWatch alarms and metrics, nothing else',
      managedPolicies: [readOnly],
    });
    props.slack.forEach((channel, index) => {
      const configuration = new chatbot.SlackChannelConfiguration(this, `Slack${index + 1}`, {
        slackChannelConfigurationName: `${props.name}-${region}-slack-${index + 1}`,
        slackWorkspaceId: channel.workspaceId,
        slackChannelId: channel.channelId,
        notificationTopics: [props.topic],
        role: this.role,
        guardrailPolicies: [readOnly],
        loggingLevel: chatbot.LoggingLevel.ERROR,
        userRoleRequired: false,
      });
      this.configurationArns.push((configuration.node.defaultChild as chatbot.CfnSlackChannelConfiguration).attrArn);
    });
    props.teams.forEach((channel, index) => {
      const configuration = new chatbot.CfnMicrosoftTeamsChannelConfiguration(this, `Teams${index + 1}`, {
        configurationName: `${props.name}-${region}-teams-${index + 1}`,
        teamId: channel.teamId,
        teamsChannelId: channel.channelId,
        teamsTenantId: channel.tenantId,
        iamRoleArn: this.role.roleArn,
        snsTopicArns: [props.topic.topicArn],
        guardrailPolicies: [readOnly.managedPolicyArn],
        loggingLevel: 'ERROR',
        userRoleRequired: false,
      });
      this.configurationArns.push(configuration.attrArn);
    });
  }

  /** The channels' permissions and their guardrail: this janitor's alarms and CloudWatch's metrics, read. */
  private readOnlyPolicy(alarmNamePrefix: string): iam.ManagedPolicy {
    const policy = new iam.ManagedPolicy(this, 'ReadAlarms', {
      description: 'account-janitor chat channels: read CloudWatch alarms and metrics, nothing else',
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadAlarms',
          actions: CHAT_ALARM_ACTIONS,
          resources: [
            Stack.of(this).formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: `${alarmNamePrefix}*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ],
        }),
        new iam.PolicyStatement({ sid: 'ReadMetrics', actions: CHAT_METRIC_ACTIONS, resources: ['*'] }),
      ],
    });
    const { partition: nagPartition, region: nagRegion, account: nagAccount } = nagEnvironment(this);
    Validations.of(policy).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: "CloudWatch's metric reads take no metric ARN: the alarms' charts read the metrics they watch.",
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:${nagPartition}:cloudwatch:${nagRegion}:${nagAccount}:alarm:${alarmNamePrefix}*]`,
        reason: "This janitor's alarms, named <stack>_<alarm>: the ones the channels show.",
      },
    );
    return policy;
  }
}
