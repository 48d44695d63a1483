import type { Context } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { AwsClients } from './aws/clients';
import type { SweepConfig } from './config/schema';
import type { SweepReport } from './core/report';
import { METRIC_NAMES, sweepMetrics } from './core/sweep-metrics';
import { applyRequest, parseInvocationEvent } from './invocation-event';
import { MODE_DIMENSION } from './powertools';
import { runSweep } from './sweep';

/**
 * The Lambda handler's behaviour, given its configuration and clients: validates the event,
 * narrows the configured sweep to it, runs the sweep, publishes its metrics and returns its report.
 */

export interface HandlerDependencies {
  readonly config: SweepConfig;
  readonly clients: AwsClients;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export function createHandler(dependencies: HandlerDependencies) {
  const { config, clients, logger, metrics } = dependencies;
  return async (event: unknown, context?: Context): Promise<SweepReport> => {
    if (context) logger.addContext(context);
    const request = parseInvocationEvent(event);
    const sweep = applyRequest(config, request);
    logger.info('sweep started', { trigger: request.trigger, mode: sweep.config.mode, scope: { ...sweep.scope } });
    const report = await runSweep(sweep.config, { clients, logger }, sweep.scope);

    metrics.addDimension(MODE_DIMENSION, report.mode);
    const values = sweepMetrics(report);
    for (const name of METRIC_NAMES) metrics.addMetric(name, MetricUnit.Count, values[name]);
    metrics.publishStoredMetrics();
    logger.info('sweep finished', { mode: report.mode, summary: report.summary, metrics: values });
    return report;
  };
}
