import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { PublishCommand } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import type { AwsClients } from './aws/clients';
import { awsErrorCode } from './aws/error-code';
import type { SweepConfig } from './config/schema';
import { buildReport, type SweepReport } from './core/report';
import { METRIC_NAMES, MODE_DIMENSION, sweepMetrics, TIME_TO_REPAIR_METRIC, timesToRepair } from './core/sweep-metrics';
import { applyRequest, parseInvocationEvent, type SweepRequest } from './invocation-event';
import { renderDigest } from './report/digest';
import { runSweep } from './sweep';

/**
 * The Lambda handler's behaviour, given its configuration and clients: validates the event,
 * narrows the configured sweep to it, runs the sweep, publishes its metrics and (when there is
 * something to say) one digest message, and returns the report.
 */

export interface HandlerDependencies {
  readonly config: SweepConfig;
  readonly clients: AwsClients;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** SNS topic for the run digest; none, no digest. */
  readonly notificationTopicArn?: string | undefined;
  /** Time kept back from the invocation's limit: no new work starts within it (default 90 s). */
  readonly safetyMarginMs?: number;
}

/**
 * In-flight work must finish after the last task starts: a task is a few requests, each with its
 * own timeout and retries, and the report, metrics and digest still have to go out.
 */
export const DEFAULT_SAFETY_MARGIN_MS = 90_000;

export function createHandler(dependencies: HandlerDependencies) {
  const { config, clients, logger } = dependencies;
  return async (event: unknown, context?: Context): Promise<SweepReport> => {
    if (context) logger.addContext(context);
    const request = parseInvocationEvent(event);
    const sweep = applyRequest(config, request);
    if (sweep.leftAlone) {
      logger.info('left alone: not a target', {
        trigger: request.trigger,
        scope: { ...sweep.scope },
        reason: sweep.leftAlone,
      });
      const now = new Date();
      return buildReport(sweep.config.mode, now, now, []);
    }
    const margin = dependencies.safetyMarginMs ?? DEFAULT_SAFETY_MARGIN_MS;
    const deadline = context ? new Date(Date.now() + context.getRemainingTimeInMillis() - margin) : undefined;
    logger.info('sweep started', {
      trigger: request.trigger,
      mode: sweep.config.mode,
      scope: { ...sweep.scope },
      ...(request.cause ? { cause: request.cause } : {}),
      deadline: deadline?.toISOString(),
    });
    const report = await runSweep(sweep.config, { clients, logger }, { ...sweep.scope, deadline });

    await publishReport(report, request.trigger, dependencies);
    return report;
  };
}

/**
 * What a finished run tells: its metrics (EMF, once per run), a `sweep finished` log line, and (when
 * there is something to say) one digest message. Shared by the single function and the merge step
 * of a distributed run.
 */
export async function publishReport(
  report: SweepReport,
  trigger: SweepRequest['trigger'],
  dependencies: Pick<HandlerDependencies, 'clients' | 'logger' | 'metrics' | 'notificationTopicArn'>,
): Promise<void> {
  const { clients, logger, metrics, notificationTopicArn } = dependencies;
  metrics.addDimension(MODE_DIMENSION, report.mode);
  const values = sweepMetrics(report);
  for (const name of METRIC_NAMES) metrics.addMetric(name, MetricUnit.Count, values[name]);
  for (const seconds of timesToRepair(report)) metrics.addMetric(TIME_TO_REPAIR_METRIC, MetricUnit.Seconds, seconds);
  metrics.publishStoredMetrics();
  logger.info('sweep finished', { mode: report.mode, summary: report.summary, metrics: values });

  const digest = renderDigest(report, trigger);
  if (!digest || !notificationTopicArn) return;
  try {
    await clients
      .sns()
      .send(new PublishCommand({ TopicArn: notificationTopicArn, Subject: digest.subject, Message: digest.message }));
  } catch (error) {
    logger.error('cannot publish the run digest', { topicArn: notificationTopicArn, errorCode: awsErrorCode(error) });
  }
}
