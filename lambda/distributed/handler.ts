import { S3Client } from '@aws-sdk/client-s3';
import { createAwsClients } from '../aws/clients';
import { s3RunStore } from '../aws/run-store';
import {
  htmlReportBucketFromEnvironment,
  notificationTopicFromEnvironment,
  sweepConfigFromEnvironment,
} from '../config/environment';
import { logger, metrics } from '../powertools';
import { createDistributedHandler } from './handler-factory';
import { distributedSettingsFromEnvironment } from './settings';

/** The distributed sweep's Lambda entry point: configuration and clients made once, at cold start. */

const config = sweepConfigFromEnvironment(process.env);
const settings = distributedSettingsFromEnvironment(process.env);
const htmlReportBucket = htmlReportBucketFromEnvironment(process.env);
const clients = createAwsClients({
  homeRegion: process.env['AWS_REGION'] ?? 'us-east-1',
  maxAttempts: config.maxAttempts,
});

export const handler = createDistributedHandler({
  config,
  settings,
  clients,
  store: s3RunStore(clients.hub(S3Client), settings.bucket),
  logger,
  metrics,
  notificationTopicArn: notificationTopicFromEnvironment(process.env),
  htmlReports: htmlReportBucket ? { client: clients.hub(S3Client), bucket: htmlReportBucket } : undefined,
});
