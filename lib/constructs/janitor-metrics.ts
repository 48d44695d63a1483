import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Mode } from '../../lambda/config/schema';
import {
  METRICS_NAMESPACE,
  MODE_DIMENSION,
  type REPAIRS_BY_TRIGGER_METRICS,
  SERVICE_NAME,
  type MetricName,
} from '../../lambda/core/sweep-metrics';

/** A metric the sweep publishes (lambda/core/sweep-metrics.ts). */
export type PublishedMetric = MetricName | (typeof REPAIRS_BY_TRIGGER_METRICS)[keyof typeof REPAIRS_BY_TRIGGER_METRICS];

/** One of the sweep's metrics in this mode, as the alarms and the dashboard read it. */
export function sweepMetric(
  mode: Mode,
  metricName: PublishedMetric,
  statistic = 'Sum',
  period = Duration.hours(1),
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME, [MODE_DIMENSION]: mode },
    statistic,
    period,
  });
}
