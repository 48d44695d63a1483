import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  DIGEST_LEDGER_KEY,
  DIGEST_LEDGER_TABLE_VARIABLE,
  DIGEST_LEDGER_TTL_ATTRIBUTE,
} from '../../lambda/contract/names';
import { DIGEST_LEDGER_WRITE_ACTIONS, INTAKE_SCHEDULER_ACTIONS } from '../../lambda/contract/permissions';
import type { SweepConfig } from '../../lambda/config/schema';
import { breakingCallPattern, CLOUDTRAIL_DETAIL_TYPE } from '../../lambda/core/breaking-call-pattern';
import { breakingCallOptionsFor } from '../../lambda/core/breaking-calls';
import { INTAKE_ENVIRONMENT_VARIABLES, MAX_QUIET_PERIOD_FACTOR } from '../../lambda/contract/names';
import { DEFAULT_INTAKE_CONCURRENCY, DEFAULT_INTAKE_LOG_RETENTION_DAYS } from '../deployment-settings';
import { busStatements } from './bus-statements';
import { janitorFunctionDefaults, janitorLogGroup } from './function-defaults';
import type { JanitorFunction } from './janitor-function';

/**
 * The hub's half of the event-driven repair: a custom event bus that accepts the breaking calls
 * the member accounts forward (PutEvents only from principals of the organization, only EC2's
 * CloudTrail events, which no one can forge: the `aws.` sources are EventBridge's own), a rule
 * from it to the event intake, the intake function, and the schedule group of the quiet periods.
 * Each quiet period is a one-time schedule that invokes the sweep function (reserved concurrency
 * 1: never two sweeps at once) through the nightly schedule's role, with the same dead-letter queue.
 */

export interface EventDrivenRepairProps {
  /** Its `organizationId` is required: the bus accepts events from that organization only. */
  readonly config: SweepConfig;
  /** The sweep function, its scheduler role and dead-letter queue. */
  readonly sweep: JanitorFunction;
  /** Names the bus and the schedule group. */
  readonly name: string;
  /** How long an account-region must be quiet before its repair. */
  readonly quietPeriod: Duration;
  /**
   * The longest a stream of breaking calls may put a repair off, from the first.
   * @default - MAX_QUIET_PERIOD_FACTOR × quietPeriod
   */
  readonly maxQuietPeriod?: Duration;
  /**
   * The intake's reserved concurrency: what a flood of breaking calls can take.
   * @default DEFAULT_INTAKE_CONCURRENCY
   */
  readonly intakeConcurrency?: number;
  /**
   * Days the intake's logs (source IPs, user agents of the callers) are kept.
   * @default DEFAULT_INTAKE_LOG_RETENTION_DAYS
   */
  readonly intakeLogRetention?: logs.RetentionDays;
}

export class EventDrivenRepair extends Construct {
  public readonly bus: events.EventBus;
  public readonly rule: events.Rule;
  public readonly intake: nodejs.NodejsFunction;
  /** Where the rule puts the breaking calls for the intake. */
  public readonly queue: sqs.Queue;
  public readonly scheduleGroup: scheduler.ScheduleGroup;
  /** When each account-region last had an event-driven digest: at most one an hour. */
  public readonly digestLedger: dynamodb.TableV2;

  public constructor(scope: Construct, id: string, props: EventDrivenRepairProps) {
    super(scope, id);
    const { config, sweep } = props;
    const organizationId = config.organizationId;
    if (!organizationId) throw new Error('EventDrivenRepair: config.organizationId is required');
    this.bus = this.busFor(config, organizationId, `${props.name}-breaking-calls`);
    const groupName = `${props.name}-repairs`;
    this.scheduleGroup = new scheduler.ScheduleGroup(this, 'Repairs', {
      scheduleGroupName: groupName,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.digestLedger = this.digestLedgerFor(sweep);
    this.queue = this.queueFor(sweep);
    this.intake = this.intakeFor(props, groupName);
    this.rule = new events.Rule(this, 'BreakingCalls', {
      eventBus: this.bus,
      description: 'account-janitor: breaking calls forwarded by the member accounts, to the intake queue',
      eventPattern: toCdkPattern(breakingCallPattern(breakingCallOptionsFor(config))),
      targets: [
        new eventTargets.SqsQueue(this.queue, {
          deadLetterQueue: sweep.deadLetterQueue,
          retryAttempts: 8,
          maxEventAge: Duration.hours(2),
        }),
      ],
    });
  }

  /**
   * The intake's queue: the rule's calls wait here, and the intake takes them a batch at a time,
   * folded by account-region (`intake-batch.ts`). What fails five times goes to the janitor's
   * dead-letter queue, where an alarm sees it.
   */
  private queueFor(sweep: JanitorFunction): sqs.Queue {
    return new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Six times the intake's timeout, as Lambda's event source asks.
      visibilityTimeout: Duration.seconds(6 * INTAKE_TIMEOUT_SECONDS),
      // A call older than this is the nightly sweep's: the quiet period it would start is long over.
      retentionPeriod: Duration.hours(12),
      deadLetterQueue: { queue: sweep.deadLetterQueue, maxReceiveCount: 5 },
    });
  }

  /** The bus, with its own Policy property (not a separate AWS::Events::EventBusPolicy). */
  private busFor(config: SweepConfig, organizationId: string, busName: string): events.EventBus {
    const bus = new events.EventBus(this, 'Bus', {
      eventBusName: busName,
      description: 'account-janitor: calls that broke the default VPC internet path, from the member accounts',
    });
    // Its ARN from its name.
    const busArn = Stack.of(this).formatArn({ service: 'events', resource: 'event-bus', resourceName: busName });
    (bus.node.defaultChild as events.CfnEventBus).policy = new iam.PolicyDocument({
      statements: busStatements(config, organizationId).map(
        ({ sid, principalCondition }) =>
          new iam.PolicyStatement({
            sid,
            principals: [new iam.AnyPrincipal()],
            actions: ['events:PutEvents'],
            resources: [busArn],
            // The organization is literal: EventBridge supports no aws:ResourceOrgID. Source and
            // detail-type are multivalued keys of PutEvents (one value per entry of the batch): a
            // set operator, so every entry must be an EC2 CloudTrail event, and a Null guard, since
            // an empty set satisfies ForAllValues. A plain StringEquals on them would never match.
            conditions: {
              ...principalCondition,
              StringEquals: {
                'aws:PrincipalOrgID': organizationId,
                ...principalCondition['StringEquals'],
              },
              'ForAllValues:StringEquals': {
                'events:source': ['aws.ec2'],
                'events:detail-type': [CLOUDTRAIL_DETAIL_TYPE],
              },
              Null: { 'events:source': 'false', 'events:detail-type': 'false' },
            },
          }),
      ),
    }).toJSON() as unknown;
    return bus;
  }

  /** When each account-region last had an event-driven digest; the sweep function writes it. */
  private digestLedgerFor(sweep: JanitorFunction): dynamodb.TableV2 {
    const ledger = new dynamodb.TableV2(this, 'DigestLedger', {
      partitionKey: { name: DIGEST_LEDGER_KEY, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: DIGEST_LEDGER_TTL_ATTRIBUTE,
      billing: dynamodb.Billing.onDemand(),
      // A rate bound, nothing to restore: its items expire within hours.
      removalPolicy: RemovalPolicy.DESTROY,
      // Only the functions' role writes it: no one else can hold a digest back (a sentAt far
      // ahead) or clear the hour. "*": the table's own ARN, as a table's policy may name it.
      resourcePolicy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'OnlyTheJanitorWritesTheLedger',
            effect: iam.Effect.DENY,
            principals: [new iam.AnyPrincipal()],
            actions: [...DIGEST_LEDGER_WRITE_ACTIONS],
            resources: ['*'],
            conditions: { ArnNotEquals: { 'aws:PrincipalArn': sweep.role.roleArn } },
          }),
        ],
      }),
    });
    Validations.of(ledger).acknowledge({
      id: 'AwsSolutions-DDB3',
      reason: 'The digest ledger only bounds how often an account-region is mailed; its items expire within two hours.',
    });
    ledger.grant(sweep.role, 'dynamodb:UpdateItem');
    sweep.function.addEnvironment(DIGEST_LEDGER_TABLE_VARIABLE, ledger.tableName);
    return ledger;
  }

  /** The intake: starts and moves the quiet-period schedules of the group, with its own role and logs. */
  private intakeFor(props: EventDrivenRepairProps, groupName: string): nodejs.NodejsFunction {
    const { sweep } = props;
    const role = new iam.Role(this, 'IntakeRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'account-janitor event intake: starts and moves the quiet-period schedules',
    });
    const logGroup = janitorLogGroup(this, 'IntakeLogs', props.intakeLogRetention ?? DEFAULT_INTAKE_LOG_RETENTION_DAYS);
    logGroup.grantWrite(role);
    this.attachIntakePolicy(role, sweep, groupName);
    const maxQuietPeriod =
      props.maxQuietPeriod ?? Duration.seconds(MAX_QUIET_PERIOD_FACTOR * props.quietPeriod.toSeconds());
    const concurrency = props.intakeConcurrency ?? DEFAULT_INTAKE_CONCURRENCY;
    const intake = new nodejs.NodejsFunction(this, 'Intake', {
      ...janitorFunctionDefaults('events/intake-handler', props.config, {
        [INTAKE_ENVIRONMENT_VARIABLES.quietPeriodSeconds]: String(props.quietPeriod.toSeconds()),
        [INTAKE_ENVIRONMENT_VARIABLES.maxQuietPeriodSeconds]: String(maxQuietPeriod.toSeconds()),
        [INTAKE_ENVIRONMENT_VARIABLES.scheduleGroupName]: this.scheduleGroup.scheduleGroupName,
        [INTAKE_ENVIRONMENT_VARIABLES.sweepFunctionArn]: sweep.function.functionArn,
        [INTAKE_ENVIRONMENT_VARIABLES.schedulerRoleArn]: sweep.schedulerRole.roleArn,
        [INTAKE_ENVIRONMENT_VARIABLES.deadLetterQueueArn]: sweep.deadLetterQueue.queueArn,
      }),
      timeout: Duration.seconds(INTAKE_TIMEOUT_SECONDS),
      memorySize: 256,
      // A flood of breaking calls waits in the queue instead of taking the account's Lambda
      // concurrency (and Scheduler's rate) from everything else.
      reservedConcurrentExecutions: concurrency,
      role,
      logGroup,
      description: 'account-janitor: starts the quiet period of an account-region after a breaking call',
    });
    intake.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: INTAKE_BATCH_SIZE,
        // Up to a batch's worth gathered for 5 s: a burst is folded by account-region.
        maxBatchingWindow: Duration.seconds(5),
        reportBatchItemFailures: true,
        // No more pollers than the function may run: a throttled batch would count as a receive.
        maxConcurrency: concurrency,
      }),
    );
    return intake;
  }

  /** The repair-* schedules of the janitor's group, and passing the sweep's scheduler role to Scheduler. */
  private attachIntakePolicy(role: iam.IRole, sweep: JanitorFunction, groupName: string): void {
    // Pseudo-parameters even when the stack's environment is known, so the cdk-nag finding (and
    // its acknowledgement below) reads the same in every environment.
    const schedulesArn = `arn:${Aws.PARTITION}:scheduler:${Aws.REGION}:${Aws.ACCOUNT_ID}:schedule/${groupName}/repair-*`;
    const policy = new iam.Policy(this, 'IntakePolicy', {
      statements: [
        new iam.PolicyStatement({
          sid: 'QuietPeriodSchedules',
          actions: [...INTAKE_SCHEDULER_ACTIONS],
          resources: [schedulesArn],
        }),
        new iam.PolicyStatement({
          sid: 'PassSchedulerRole',
          actions: ['iam:PassRole'],
          resources: [sweep.schedulerRole.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        }),
      ],
    });
    policy.attachToRole(role);
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${groupName}/repair-*]`,
      reason: "One schedule per account-region, named repair-<account>-<region>, in the janitor's own group.",
    });
  }
}

/** The pattern in CDK's shape (`detailType`), from EventBridge's (`detail-type`). */
/** The intake's timeout, and the batch it takes: 100 calls, up to 8 account-regions written at once. */
const INTAKE_TIMEOUT_SECONDS = 60;
const INTAKE_BATCH_SIZE = 100;

function toCdkPattern(pattern: Record<string, unknown>): events.EventPattern {
  const { 'detail-type': detailType, ...rest } = pattern;
  return { ...rest, detailType } as events.EventPattern;
}
