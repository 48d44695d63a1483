import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { createAwsClients } from './aws/clients';
import {
  digestLedgerTableFromEnvironment,
  htmlReportBucketFromEnvironment,
  notificationTopicFromEnvironment,
  sweepConfigFromEnvironment,
} from './config/environment';
import { createHandler } from './handler-factory';
import { logger, metrics } from './powertools';

/**
 * The Lambda entry point. Configuration and clients are made once, at cold start; a bad
 * configuration fails the cold start with a message naming the variable and its value.
 */

const config = sweepConfigFromEnvironment(process.env);
const clients = createAwsClients({
  homeRegion: process.env['AWS_REGION'] ?? 'us-east-1',
  maxAttempts: config.maxAttempts,
});
const digestLedgerTable = digestLedgerTableFromEnvironment(process.env);
const htmlReportBucket = htmlReportBucketFromEnvironment(process.env);

export const handler = createHandler({
  config,
  notificationTopicArn: notificationTopicFromEnvironment(process.env),
  clients,
  digestLedger: digestLedgerTable ? { client: clients.hub(DynamoDBClient), tableName: digestLedgerTable } : undefined,
  htmlReports: htmlReportBucket ? { client: clients.hub(S3Client), bucket: htmlReportBucket } : undefined,
  logger,
  metrics,
});
