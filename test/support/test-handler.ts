import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { AwsClients } from '../../lambda/aws/clients';
import type { SweepConfig } from '../../lambda/config/schema';
import { createHandler } from '../../lambda/handler-factory';

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
