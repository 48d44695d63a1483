import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/** The function's shared Powertools instances: JSON logs, and metrics in CloudWatch EMF. */
export const SERVICE_NAME = 'account-janitor';
export const METRICS_NAMESPACE = 'AccountJanitor';
/** Every metric carries this dimension (besides Powertools' `service`). */
export const MODE_DIMENSION = 'Mode';

export const logger = new Logger({ serviceName: SERVICE_NAME });
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
