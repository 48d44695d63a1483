/**
 * The outputs of the deployed stack that `account-janitor doctor` reads to find everything else.
 * The stack writes exactly these keys; one list, so the two cannot drift apart.
 */
export const STACK_OUTPUTS = {
  functionName: 'FunctionName',
  hubRoleArn: 'HubRoleArn',
  notificationTopicArn: 'NotificationTopicArn',
  dashboardName: 'DashboardName',
  scheduleName: 'ScheduleName',
  scheduleGroupName: 'ScheduleGroupName',
  deadLetterQueueUrl: 'DeadLetterQueueUrl',
  deadLetterQueueArn: 'DeadLetterQueueArn',
  alarmNamePrefix: 'AlarmNamePrefix',
  /** Only when the stack deploys the member role. */
  memberRoleStackSetName: 'MemberRoleStackSetName',
  /** `SELF` or `DELEGATED_ADMIN`, with the StackSet. */
  stackSetCallAs: 'StackSetCallAs',
  /** Only with the event-driven repair: the hub's bus, the quiet periods' schedule group, the intake. */
  eventBusArn: 'EventBusArn',
  repairScheduleGroupName: 'RepairScheduleGroupName',
  intakeFunctionName: 'IntakeFunctionName',
  /** With the event-driven repair and the member role StackSet. */
  eventForwardingStackSetName: 'EventForwardingStackSetName',
  /** With fanOut=distributed: the state machine the schedule starts, and its run bucket. */
  stateMachineArn: 'StateMachineArn',
  runBucketName: 'RunBucketName',
  /** With protectDefaultPath=enforce: the guard rail's service control policy. */
  guardRailPolicyId: 'GuardRailPolicyId',
  /** With htmlReport: the bucket of the runs' HTML pages (under reports/). */
  htmlReportBucketName: 'HtmlReportBucketName',
  /** With slackChannels or teamsChannels: the AWS Chatbot channel configurations' ARNs, comma-separated. */
  chatChannelArns: 'ChatChannelArns',
} as const;

export type StackOutputs = { [K in keyof typeof STACK_OUTPUTS]?: string };

/** The stack's name when the CDK app deploys it (`--stack-name` overrides it). */
export const DEFAULT_STACK_NAME = 'AccountJanitor';

/**
 * A CloudFormation stack name, and an AccountJanitor's name (which defaults to its stack's and
 * prefixes its alarms): letters, digits and dashes, starting with a letter.
 */
export const STACK_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
