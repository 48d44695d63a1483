import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { createAwsClients } from '../aws/clients';
import { sweepConfigFromEnvironment } from '../config/environment';
import { logger } from '../powertools';
import { intakeSettingsFromEnvironment, takeBreakingEvent } from './intake';
import { takeBreakingEventBatch, type QueuedBreakingCall } from './intake-batch';

/**
 * The event intake's Lambda entry point: the breaking calls the hub's rule puts on the intake's
 * queue, a batch at a time (an SQS event: `Records`, each `body` one EventBridge event), answered
 * with the messages to deliver again. An EventBridge event delivered directly (a stack deployed
 * before the queue, during its update) is taken on its own. Configuration (the sweep's, for what
 * is a target, and the intake's own) is read once, at cold start.
 */

const config = sweepConfigFromEnvironment(process.env);
const settings = intakeSettingsFromEnvironment(process.env);
const scheduler = createAwsClients({
  homeRegion: process.env['AWS_REGION'] ?? 'us-east-1',
  maxAttempts: config.maxAttempts,
}).hub(SchedulerClient);
const dependencies = { config, settings, scheduler, logger };

export const handler = (event: unknown) => {
  const records = queuedCalls(event);
  if (!records) return takeBreakingEvent(event, dependencies);
  return takeBreakingEventBatch(records, dependencies).then(({ batchItemFailures }) => ({ batchItemFailures }));
};

/** The messages of an SQS event, or undefined when the event is not one. */
function queuedCalls(event: unknown): QueuedBreakingCall[] | undefined {
  const records = (event as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records)) return undefined;
  return records.map((record: unknown) => {
    const { messageId, body } = (record ?? {}) as { messageId?: unknown; body?: unknown };
    return { messageId: String(messageId), body: typeof body === 'string' ? body : '' };
  });
}
