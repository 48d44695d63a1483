import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { createAwsClients } from '../aws/clients';
import { describeOrganization } from '../aws/organizations';
import { sweepConfigFromEnvironment } from '../config/environment';
import { logger } from '../powertools';
import { restoreSettingsFromEnvironment, takeRestoreTrigger } from './restore-intake';

/**
 * The restore triggers' Lambda entry point: the events the hub bus's restore rules route here.
 * Configuration is read once, at cold start; the management account once, at the first event.
 */

const config = sweepConfigFromEnvironment(process.env);
const settings = restoreSettingsFromEnvironment(process.env);
const clients = createAwsClients({
  homeRegion: process.env['AWS_REGION'] ?? 'us-east-1',
  maxAttempts: config.maxAttempts,
});
const scheduler = clients.hub(SchedulerClient);
let management: Promise<string> | undefined;
const managementAccountId = () =>
  (management ??= describeOrganization(clients.organizations()).then(
    ({ managementAccountId: id }) => id,
    (error: unknown) => {
      management = undefined;
      throw error;
    },
  ));

export const handler = (event: unknown) =>
  takeRestoreTrigger(event, { config, settings, scheduler, logger, managementAccountId });
