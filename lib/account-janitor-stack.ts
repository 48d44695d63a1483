import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AccountJanitor } from './account-janitor';
import type { DeploymentConfig } from './config';

/** The deployable stack: one AccountJanitor, configured from CDK context. */
export class AccountJanitorStack extends Stack {
  public readonly janitor: AccountJanitor;

  public constructor(scope: Construct, id: string, config: DeploymentConfig, props?: StackProps) {
    super(scope, id, {
      description: 'account-janitor: keeps the default VPC internet route of the test accounts in place',
      ...props,
    });
    this.janitor = new AccountJanitor(this, 'AccountJanitor', {
      sweep: config.sweep,
      schedule: config.schedule,
      timeZone: config.timeZone,
      notificationEmails: config.notificationEmails,
      deployMemberRole: config.deployMemberRole,
      memberRoleTargetOuIds: config.memberRoleTargetOuIds,
      stackSetCallAs: config.stackSetCallAs,
      operatorPrincipalArns: config.operatorPrincipalArns,
    });
    new CfnOutput(this, 'FunctionName', { value: this.janitor.sweepFunction.function.functionName });
    new CfnOutput(this, 'HubRoleArn', { value: this.janitor.sweepFunction.role.roleArn });
    new CfnOutput(this, 'NotificationTopicArn', { value: this.janitor.notifications.topic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: this.janitor.alarms.dashboard.dashboardName });
  }
}
