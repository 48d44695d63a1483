import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { Mode } from '../../lambda/config/schema';
import { DEFAULT_HEARTBEAT_HOURS } from '../../lambda/contract/names';
import { janitorDashboard } from './janitor-dashboard';
import { sweepMetric, type PublishedMetric } from './janitor-metrics';

/**
 * The janitor's alarms, each telling what happened and what to do, all notifying the topic, and a
 * dashboard of its runs (janitor-dashboard.ts). Written with the CloudWatch L2 constructs: nine
 * alarms, one more for each opt-in that needs one (the default subnets' checks, responders, the
 * event intake, the distributed sweep), and one dashboard do not need a monitoring framework.
 */

export interface JanitorAlarmsProps {
  readonly function: lambda.IFunction;
  readonly timeout: Duration;
  readonly deadLetterQueue: sqs.IQueue;
  readonly topic: sns.ITopic;
  readonly mode: Mode;
  /** Every alarm is named `<alarmNamePrefix><metric>`, so a person who gets the e-mail finds it. */
  readonly alarmNamePrefix: string;
  /** The run checks default subnets (checkDefaultSubnets or repairDefaultSubnets): alarm on their findings too. */
  readonly checksDefaultSubnets?: boolean;
  /** The run leaves responders' changes (respectPrincipals, remediate mode): alarm when one is left past respectFor. */
  readonly respectsResponders?: boolean;
  /** The distributed sweep's state machine (fanOut=distributed): a run that fails, times out or is aborted alarms. */
  readonly stateMachine?: sfn.IStateMachine;
  /** The event intake of the event-driven repair, when deployed: its failures alarm too. */
  readonly intakeFunction?: lambda.IFunction;
  /**
   * The heartbeat fires when no run reported for this long: a nightly run plus slack.
   * @default Duration.hours(DEFAULT_HEARTBEAT_HOURS)
   */
  readonly heartbeat?: Duration;
}

/** The heartbeat's evaluation period: CloudWatch evaluates the missing datapoints in these steps. */
const HEARTBEAT_PERIOD = Duration.hours(2);

/** An alarm's default: one datapoint at or above 1 within its period; no data is no alarm. */
const AT_LEAST_ONE = {
  threshold: 1,
  evaluationPeriods: 1,
  comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
};

export class JanitorAlarms extends Construct {
  public readonly alarms: Record<string, cloudwatch.Alarm> = {};
  public readonly dashboard: cloudwatch.Dashboard;
  private readonly props: JanitorAlarmsProps;

  public constructor(scope: Construct, id: string, props: JanitorAlarmsProps) {
    super(scope, id);
    this.props = props;
    // In this order: the dashboard's alarm widget lists them so.
    this.addRunAlarms();
    this.addFailureAlarms();
    this.addHeartbeat();
    this.dashboard = janitorDashboard(this, 'Dashboard', {
      function: props.function,
      timeout: props.timeout,
      mode: props.mode,
      alarms: Object.values(this.alarms),
    });
  }

  /** `<prefix><key>`, notifying the topic. */
  private alarm(
    key: string,
    metric: cloudwatch.IMetric,
    description: string,
    options: Partial<cloudwatch.AlarmProps> = {},
  ): void {
    const { props } = this;
    const created = new cloudwatch.Alarm(this, key, {
      alarmName: `${props.alarmNamePrefix}${key}`,
      metric,
      alarmDescription: description,
      ...AT_LEAST_ONE,
      ...options,
    });
    created.addAlarmAction(new actions.SnsAction(props.topic));
    this.alarms[key] = created;
  }

  /** What the runs report: drift, failed repairs, subnets, accounts not entered, cut runs, the cap. */
  private addRunAlarms(): void {
    const { props } = this;
    const metric = (name: PublishedMetric, statistic?: string) => sweepMetric(props.mode, name, statistic);
    this.alarm(
      'DriftDetected',
      metric('DriftDetected'),
      props.mode === 'remediate'
        ? 'The last run found the default VPC internet route (0.0.0.0/0), or with the opt-in repairs its gateway, default VPC, default subnets or the egress of its default security group and network ACL, missing, stale or stripped in at least one account-region, and repaired what its switches allow (see the run digest). Find the clean-up that keeps deleting them.'
        : 'The last run found the default VPC internet route (0.0.0.0/0), or with the opt-in checks its gateway, default VPC, default subnets or the egress of its default security group and network ACL, missing, stale or stripped in at least one account-region. The janitor runs in report mode and wrote nothing: restore what the run digest lists, or switch the janitor to remediate mode.',
    );
    this.alarm(
      'RepairsFailed',
      metric('RepairsFailed'),
      'A repair failed or could not be verified. The run digest and the function logs ("route repair failed", "default subnet repair failed", "egress repair failed", ...) name the account, region, resource and AWS error code: check the member role permissions (ec2:CreateRoute, ec2:ReplaceRoute, and those of the opt-in repairs) in that account.',
    );
    if (props.checksDefaultSubnets) {
      this.alarm(
        'SubnetsMisconfigured',
        metric('SubnetsMisconfigured'),
        'The last run found a default subnet that breaks tasks with public IPs: MapPublicIpOnLaunch off, or an explicit association with a route table that does not route 0.0.0.0/0 to the internet gateway. The janitor never changes these: the run digest names the subnet and table; fix them by hand, or tag the subnet account-janitor:ignore=true if it is meant to be so.',
      );
    }
    if (props.respectsResponders) {
      this.alarm(
        'LeftByResponderOverdue',
        metric('LeftByResponderOverdue'),
        "The last run found a responder's change (respectPrincipals) left for longer than respectFor: a containment nobody has come back to. The run digest names the account-region and how long it has been left. Decide now: repair it with the CLI's --repair-anyway, or keep it on purpose with the tag account-janitor:ignore=true.",
      );
    }
    this.alarm(
      'AccountErrors',
      metric('AccountErrors'),
      'The janitor could not enter or read at least one account (access-denied or error rows). Check that the member role exists in the account (StackSet instance), trusts the hub function role, and that no SCP denies its EC2 reads.',
    );
    this.alarm(
      'SweepIncomplete',
      metric('SweepIncomplete', 'Maximum'),
      'The last run stopped starting new work before the Lambda time limit: some accounts or regions are not-checked (see the report). Raise concurrency, narrow the targets, or split them over two deployments.',
    );
    this.alarm(
      'RepairCapReached',
      metric('RepairCapReached', 'Maximum'),
      'The last run reached its cap of repairs (maxRepairsPerRun) and left further drift unrepaired (would-* rows). Many routes vanished at once: find out why before raising the cap or running the janitor again.',
    );
  }

  /** What failed outright: the function, a distributed run, the intake, a run near its timeout, dead letters. */
  private addFailureAlarms(): void {
    const { props } = this;
    this.alarm(
      'FunctionErrors',
      props.function.metricErrors({ period: Duration.hours(1), statistic: 'Sum' }),
      'The account-janitor function failed (an unexpected error, a bad configuration, or a timeout). Read its logs for the error; the failed invocation is in the dead-letter queue.',
    );
    if (props.stateMachine) {
      const period = Duration.hours(1);
      this.alarm(
        'DistributedRunFailed',
        new cloudwatch.MathExpression({
          expression: 'failed + timedOut + aborted',
          usingMetrics: {
            failed: props.stateMachine.metricFailed({ period, statistic: 'Sum' }),
            timedOut: props.stateMachine.metricTimedOut({ period, statistic: 'Sum' }),
            aborted: props.stateMachine.metricAborted({ period, statistic: 'Sum' }),
          },
          period,
        }),
        'A distributed sweep (Step Functions) failed, timed out or was aborted: no merged report, metrics or digest for that run. Open the execution in the Step Functions console (the plan or merge step names the error); the nightly schedule starts the next run.',
      );
    }
    if (props.intakeFunction) {
      this.alarm(
        'EventIntakeErrors',
        props.intakeFunction.metricErrors({ period: Duration.hours(1), statistic: 'Sum' }),
        'The event intake failed on a batch of breaking calls (read its logs: a scheduler permission). The batch goes back to the intake queue and is tried again; what still fails goes to the dead-letter queue. The nightly sweep repairs whatever the event path missed.',
      );
    }
    this.alarm(
      'DurationNearTimeout',
      props.function.metricDuration({ period: Duration.hours(1), statistic: 'Maximum' }),
      `A run took more than 80 % of the function timeout (${props.timeout.toMinutes()} min). Sweeps that grow further will time out: raise concurrency, or split the targets over two schedules.`,
      {
        threshold: props.timeout.toMilliseconds() * 0.8,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      },
    );
    this.alarm(
      'DeadLetters',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      'An invocation of the janitor failed or was never delivered and sits in the dead-letter queue. Read the message (it carries the error), fix the cause, then purge the queue.',
    );
  }

  /** No run reported for `heartbeat`: the schedule, the function or its metrics stopped. */
  private addHeartbeat(): void {
    const { props } = this;
    const heartbeat = props.heartbeat ?? Duration.hours(DEFAULT_HEARTBEAT_HOURS);
    const heartbeatPeriods = Math.ceil(heartbeat.toSeconds() / HEARTBEAT_PERIOD.toSeconds());
    this.alarm(
      'Heartbeat',
      sweepMetric(props.mode, 'TargetsChecked', 'SampleCount', HEARTBEAT_PERIOD),
      `No janitor run has reported for ${heartbeat.toHours()} hours: the schedule, the function or its metrics stopped. Check the schedule is enabled, the function's recent invocations and logs, and run it once from the Lambda console.`,
      {
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: heartbeatPeriods,
        datapointsToAlarm: heartbeatPeriods,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      },
    );
  }
}
