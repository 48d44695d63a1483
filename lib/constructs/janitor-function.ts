import { type CfnElement, Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { HUB_ORGANIZATIONS_ACTIONS } from '../../lambda/contract/permissions';
import { NOTIFICATION_TOPIC_VARIABLE } from '../../lambda/config/environment';
import type { SweepConfig } from '../../lambda/config/schema';
import { FUNCTION_MEMORY_MB } from '../../lambda/contract/runtime';
import { janitorFunctionDefaults, janitorLogGroup } from './function-defaults';
import { nagEnvironment } from './nag';

/**
 * The sweep function and its schedule: a NodejsFunction bundled by the local esbuild, its own
 * role (least privilege, no managed policies), an explicit log group, an EventBridge Scheduler
 * schedule, and one encrypted dead-letter queue for invocations that failed or were never made.
 */

export interface JanitorFunctionProps {
  readonly config: SweepConfig;
  /** EventBridge Scheduler expression: `cron(…)` or `rate(…)`. */
  readonly schedule: string;
  /** IANA time zone of the schedule. */
  readonly timeZone: string;
  /** Receives the run digest. */
  readonly notificationTopic: sns.ITopic;
  /**
   * Log retention: long enough that any night can be audited from the logs.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/** The Lambda limit: a sweep of a large organization gets the whole of it. */
export const FUNCTION_TIMEOUT = Duration.minutes(15);
/** The sweep functions' memory (lambda/contract/runtime.ts: one full vCPU, chosen from the bench). */
export { FUNCTION_MEMORY_MB } from '../../lambda/contract/runtime';

export class JanitorFunction extends Construct {
  public readonly function: nodejs.NodejsFunction;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;
  public readonly deadLetterQueue: sqs.Queue;
  /** Invokes the function for EventBridge Scheduler (the nightly schedule, the repairs' one-time schedules). */
  public readonly schedulerRole: iam.Role;

  public constructor(scope: Construct, id: string, props: JanitorFunctionProps) {
    super(scope, id);
    const { config } = props;

    this.logGroup = janitorLogGroup(this, 'Logs', props.logRetention);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue of the schedule and the function.',
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'account-janitor hub function: reads the organization, assumes the member role',
    });
    this.logGroup.grantWrite(this.role);
    const organizationsRead = new iam.PolicyStatement({
      sid: 'ReadOrganization',
      actions: [...HUB_ORGANIZATIONS_ACTIONS],
      resources: ['*'],
    });
    const assume = assumeMemberRoleStatements(config, Stack.of(this).partition);
    const policy = new iam.Policy(this, 'Policy', { statements: [organizationsRead, ...assume.statements] });
    policy.attachToRole(this.role);
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Organizations read actions support no resource narrower than the organization, whose id is not known at synth.',
    });
    if (assume.wildcard) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:${nagEnvironment(this).partition}:iam::*:role/${config.memberRoleName}]`,
        reason:
          'The member role exists in every account of the target OUs, whose ids are not known at synth; aws:ResourceOrgID and aws:ResourceOrgPaths restrict it to this organization and those OUs.',
      });
    }

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      ...janitorFunctionDefaults('handler', config, {
        [NOTIFICATION_TOPIC_VARIABLE]: props.notificationTopic.topicArn,
      }),
      timeout: FUNCTION_TIMEOUT,
      memorySize: FUNCTION_MEMORY_MB,
      reservedConcurrentExecutions: 1,
      role: this.role,
      logGroup: this.logGroup,
      description: 'account-janitor: restores the default VPC internet route in the test accounts',
      // An invocation that failed is not retried by Lambda (a rerun tomorrow is the retry): it goes
      // to the dead-letter queue, where an alarm sees it.
      retryAttempts: 0,
      maxEventAge: Duration.hours(1),
      onFailure: new SqsDestination(this.deadLetterQueue),
    });
    props.notificationTopic.grantPublish(this.role);
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason: "Added by SNS grantPublish for the notifications topic's own KMS key, and limited to that key.",
    });

    const schedulerRole = (this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'account-janitor schedule: invokes the sweep function, sends failures to the dead-letter queue',
    }));
    const functionLogicalId = Stack.of(this).getLogicalId(this.function.node.defaultChild as CfnElement);
    Validations.of(schedulerRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionLogicalId}.Arn>:*]`,
      reason: 'Added by grantInvoke for the sweep function and its versions; limited to this one function.',
    });

    // The nightly schedule may target a state machine instead (fanOut=distributed); the repairs'
    // one-time schedules always invoke this function with this role.
    this.function.grantInvoke(schedulerRole);
    schedulerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }),
    );
    this.scheduleProps = { expression: props.schedule, timeZone: props.timeZone };
  }

  private readonly scheduleProps: { expression: string; timeZone: string };
  private nightly?: scheduler.Schedule;

  /** The nightly schedule (made by `scheduleOn`). */
  public get schedule(): scheduler.Schedule {
    if (!this.nightly) throw new Error('JanitorFunction: no schedule yet (call scheduleOn)');
    return this.nightly;
  }

  /**
   * The nightly schedule, on this function (`fanOut=single`) or on the distributed sweep's state
   * machine, with the scheduler role, retries and the dead-letter queue either way.
   */
  public scheduleOn(stateMachine?: sfn.IStateMachine): scheduler.Schedule {
    const input = scheduler.ScheduleTargetInput.fromObject({
      source: 'aws.scheduler',
      'detail-type': 'Scheduled Event',
      time: scheduler.ContextAttribute.scheduledTime,
    });
    const delivery = {
      input,
      role: this.schedulerRole,
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
    };
    this.nightly = new scheduler.Schedule(this, 'Schedule', {
      schedule: scheduler.ScheduleExpression.expression(
        this.scheduleProps.expression,
        TimeZone.of(this.scheduleProps.timeZone),
      ),
      description: 'Runs the account-janitor sweep',
      target: stateMachine
        ? new targets.StepFunctionsStartExecution(stateMachine, delivery)
        : new targets.LambdaInvoke(this.function, delivery),
    });
    return this.nightly;
  }
}

/**
 * Where the hub may assume the member role: exactly the targets. Accounts named by id: their role
 * ARNs. Target OUs (or roots): the role in any account of this organization whose path runs
 * through them (aws:ResourceOrgPaths). `allAccounts`: the role in any account of this
 * organization. Excluded accounts are denied outright. The code's own selection still applies on
 * top (tags, suspended accounts, the management account).
 */
export function assumeMemberRoleStatements(
  config: SweepConfig,
  partition: string,
): { statements: iam.PolicyStatement[]; wildcard: boolean } {
  const roleIn = (account: string) => `arn:${partition}:iam::${account}:role/${config.memberRoleName}`;
  const inThisOrganization = { 'aws:ResourceOrgID': '${aws:PrincipalOrgID}' };
  const organization = config.organizationId ?? 'o-*';
  const statements: iam.PolicyStatement[] = [];
  if (config.allAccounts) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'AssumeMemberRoleInOrganization',
        actions: ['sts:AssumeRole'],
        resources: [roleIn('*')],
        conditions: { StringEquals: inThisOrganization },
      }),
    );
  } else {
    if (config.targetOuIds.length > 0) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'AssumeMemberRoleInTargetOus',
          actions: ['sts:AssumeRole'],
          resources: [roleIn('*')],
          conditions: {
            StringEquals: inThisOrganization,
            'ForAnyValue:StringLike': {
              'aws:ResourceOrgPaths': config.targetOuIds.map((id) =>
                id.startsWith('r-') ? `${organization}/${id}/*` : `${organization}/*/${id}/*`,
              ),
            },
          },
        }),
      );
    }
    if (config.accountIds.length > 0) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'AssumeMemberRoleInTargetAccounts',
          actions: ['sts:AssumeRole'],
          resources: config.accountIds.map(roleIn),
        }),
      );
    }
  }
  if (config.excludeAccountIds.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'NeverAssumeMemberRoleInExcludedAccounts',
        effect: iam.Effect.DENY,
        actions: ['sts:AssumeRole'],
        resources: config.excludeAccountIds.map(roleIn),
      }),
    );
  }
  return { statements, wildcard: config.allAccounts || config.targetOuIds.length > 0 };
}
