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
} as const;

export type StackOutputs = { [K in keyof typeof STACK_OUTPUTS]?: string };

/** The stack's name when the CDK app deploys it (`--stack-name` overrides it). */
export const DEFAULT_STACK_NAME = 'AccountJanitor';
