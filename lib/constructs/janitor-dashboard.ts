import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { Mode } from '../../lambda/config/schema';
import {
  METRIC_NAMES,
  METRICS_NAMESPACE,
  MODE_DIMENSION,
  REPAIRS_BY_TRIGGER_METRICS,
  SERVICE_NAME,
  TIME_TO_REPAIR_METRIC,
} from '../../lambda/core/sweep-metrics';
import { sweepMetric } from './janitor-metrics';

/**
 * The janitor's dashboard: its runs (invocations, what was checked, drift and failures, duration),
 * its repairs (per night, by trigger, what was not checked, the time to repair), and its alarms.
 */

export interface JanitorDashboardProps {
  readonly function: lambda.IFunction;
  readonly timeout: Duration;
  readonly mode: Mode;
  /** Shown in one status widget, in this order. */
  readonly alarms: readonly cloudwatch.IAlarm[];
}

const DAY = Duration.days(1);

export function janitorDashboard(scope: Construct, id: string, props: JanitorDashboardProps): cloudwatch.Dashboard {
  return new cloudwatch.Dashboard(scope, id, {
    defaultInterval: Duration.days(14),
    widgets: [
      ...runRows(props),
      ...repairRows(props.mode),
      [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24 })],
    ],
  });
}

function runRows({ function: fn, timeout, mode }: JanitorDashboardProps): cloudwatch.IWidget[][] {
  return [
    [
      new cloudwatch.GraphWidget({
        title: 'Runs',
        left: [fn.metricInvocations({ period: DAY, statistic: 'Sum' })],
        right: [fn.metricErrors({ period: DAY, statistic: 'Sum' })],
      }),
      new cloudwatch.GraphWidget({
        title: 'Accounts and account-regions checked',
        left: [sweepMetric(mode, 'AccountsScanned', 'Sum', DAY), sweepMetric(mode, 'TargetsChecked', 'Sum', DAY)],
      }),
    ],
    [
      new cloudwatch.GraphWidget({
        title: 'Drift, repairs, failures',
        left: METRIC_NAMES.filter((name) => name !== 'AccountsScanned' && name !== 'TargetsChecked').map((name) =>
          sweepMetric(mode, name, 'Sum', DAY),
        ),
      }),
      new cloudwatch.GraphWidget({
        title: 'Duration (ms)',
        left: [fn.metricDuration({ period: DAY, statistic: 'Maximum' })],
        leftAnnotations: [{ value: timeout.toMilliseconds() * 0.8, label: '80 % of timeout' }],
      }),
    ],
  ];
}

function repairRows(mode: Mode): cloudwatch.IWidget[][] {
  return [
    [
      new cloudwatch.GraphWidget({
        title: 'Drift found and repaired, per night',
        left: [
          sweepMetric(mode, 'DriftDetected', 'Sum', DAY),
          ...(['RoutesRepaired', 'SubnetsRepaired', 'EgressRepaired'] as const).map((name) =>
            sweepMetric(mode, name, 'Sum', DAY),
          ),
        ],
        stacked: false,
      }),
      new cloudwatch.GraphWidget({
        title: 'Repairs: within minutes (event path) or at night',
        left: Object.values(REPAIRS_BY_TRIGGER_METRICS).map((name) => sweepMetric(mode, name, 'Sum', DAY)),
        stacked: true,
      }),
      new cloudwatch.GraphWidget({
        title: 'Not checked: regions disabled or denied, runs cut by the deadline',
        left: [sweepMetric(mode, 'RegionsDisabled', 'Maximum', DAY), sweepMetric(mode, 'SweepIncomplete', 'Sum', DAY)],
      }),
    ],
    [
      new cloudwatch.GraphWidget({
        title: 'Time to repair (s): from the breaking call to the verified repair',
        left: (['p50', 'p90', 'Maximum'] as const).map(
          (statistic) =>
            new cloudwatch.Metric({
              namespace: METRICS_NAMESPACE,
              metricName: TIME_TO_REPAIR_METRIC,
              dimensionsMap: { service: SERVICE_NAME, [MODE_DIMENSION]: mode },
              statistic,
              period: DAY,
              label: `TimeToRepair ${statistic}`,
            }),
        ),
        width: 24,
      }),
    ],
  ];
}
