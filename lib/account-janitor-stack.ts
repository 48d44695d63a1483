import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { STACK_OUTPUTS } from '../lambda/doctor/stack-outputs';
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
      operatorWritePrincipalArns: config.operatorWritePrincipalArns,
      guardRailExemptPrincipalArns: config.guardRailExemptPrincipalArns,
      eventDrivenRepair: config.eventDrivenRepair,
      eventProbe: config.eventProbe,
      intakeLogRetention: config.intakeLogRetention,
      intakeConcurrency: config.intakeConcurrency,
      quietPeriod: Duration.seconds(config.quietPeriod),
      ...(config.maxQuietPeriod === undefined ? {} : { maxQuietPeriod: Duration.seconds(config.maxQuietPeriod) }),
      eventRegions: config.eventRegions,
      fanOut: config.fanOut,
      batchSize: config.batchSize,
      maxBatchesInFlight: config.maxBatchesInFlight,
    });
    // What `account-janitor doctor` reads to find the rest of the deployment.
    const { sweepFunction, notifications, alarms, memberRole, eventDrivenRepair, eventForwarding, distributed } =
      this.janitor;
    const outputs: Record<keyof typeof STACK_OUTPUTS, string | undefined> = {
      functionName: sweepFunction.function.functionName,
      hubRoleArn: sweepFunction.role.roleArn,
      notificationTopicArn: notifications.topic.topicArn,
      dashboardName: alarms.dashboard.dashboardName,
      scheduleName: sweepFunction.schedule.scheduleName,
      scheduleGroupName: 'default',
      deadLetterQueueUrl: sweepFunction.deadLetterQueue.queueUrl,
      deadLetterQueueArn: sweepFunction.deadLetterQueue.queueArn,
      alarmNamePrefix: this.janitor.alarmNamePrefix,
      memberRoleStackSetName: memberRole?.stackSet.stackSetName,
      stackSetCallAs: memberRole ? (config.stackSetCallAs ?? 'SELF') : undefined,
      eventBusArn: eventDrivenRepair?.bus.eventBusArn,
      repairScheduleGroupName: eventDrivenRepair?.scheduleGroup.scheduleGroupName,
      intakeFunctionName: eventDrivenRepair?.intake.functionName,
      eventForwardingStackSetName: eventForwarding?.stackSet.stackSetName,
      stateMachineArn: distributed?.stateMachine.stateMachineArn,
      runBucketName: distributed?.bucket.bucketName,
      guardRailPolicyId: this.janitor.guardRail?.policy.attrId,
    };
    for (const [key, value] of Object.entries(outputs)) {
      if (value !== undefined) new CfnOutput(this, STACK_OUTPUTS[key as keyof typeof STACK_OUTPUTS], { value });
    }
  }
}
