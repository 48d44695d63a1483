import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createAwsClients } from './aws/clients';
import {
  digestLedgerTableFromEnvironment,
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

export const handler = createHandler({
  config,
  notificationTopicArn: notificationTopicFromEnvironment(process.env),
  clients,
  digestLedger: digestLedgerTable ? { client: clients.hub(DynamoDBClient), tableName: digestLedgerTable } : undefined,
  logger,
  metrics,
});
