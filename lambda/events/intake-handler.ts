import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { createAwsClients } from '../aws/clients';
import { sweepConfigFromEnvironment } from '../config/environment';
import { logger } from '../powertools';
import { intakeSettingsFromEnvironment, takeBreakingEvent } from './intake';

/**
 * The event intake's Lambda entry point: the breaking calls the hub's bus receives. Configuration
 * (the sweep's, for what is a target, and the intake's own) is read once, at cold start.
 */

const config = sweepConfigFromEnvironment(process.env);
const settings = intakeSettingsFromEnvironment(process.env);
const scheduler = createAwsClients({
  homeRegion: process.env['AWS_REGION'] ?? 'us-east-1',
  maxAttempts: config.maxAttempts,
}).hub(SchedulerClient);

export const handler = (event: unknown) => takeBreakingEvent(event, { config, settings, scheduler, logger });
