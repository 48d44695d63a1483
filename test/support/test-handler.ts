import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { AwsClients } from '../../lambda/aws/clients';
import type { SweepConfig } from '../../lambda/config/schema';
import { createHandler } from '../../lambda/handler-factory';

/** A Lambda context as the runtime gives the sweep function: 15 minutes left. */
export const LAMBDA_CONTEXT = {
  functionName: 'account-janitor',
  awsRequestId: 'req-1',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:account-janitor',
  memoryLimitInMB: '1024',
  getRemainingTimeInMillis: () => 900_000,
} as unknown as Context;

/** The Lambda handler as the entry point builds it, with fresh Powertools instances (they print JSON lines). */
export function testHandler(config: SweepConfig, clients: AwsClients, notificationTopicArn?: string) {
  return createHandler({
    config,
    clients,
    logger: new Logger({ serviceName: 'account-janitor' }),
    metrics: new Metrics({ namespace: 'AccountJanitor', serviceName: 'account-janitor' }),
    notificationTopicArn,
  });
}
