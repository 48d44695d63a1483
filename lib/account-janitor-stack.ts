import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
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
      htmlReport: config.htmlReport,
      slackChannels: config.slackChannels,
      teamsChannels: config.teamsChannels,
    });
  }
}
