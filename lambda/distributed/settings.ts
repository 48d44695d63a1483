import { DISTRIBUTED_ENVIRONMENT_VARIABLES, DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE } from '../contract/names';
import { z } from 'zod';
import { settingsFromEnvironment } from '../config/environment';
import type { DistributedSettings } from './phases';

/** The distributed sweep's own settings (besides the sweep's configuration), from its environment. */

const schema = z.strictObject({
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
  batchSize: z.coerce
    .number()
    .int(`must be a whole number from 1 to ${MAX_BATCH_SIZE}`)
    .min(1, `must be a whole number from 1 to ${MAX_BATCH_SIZE}`)
    .max(MAX_BATCH_SIZE, `must be a whole number from 1 to ${MAX_BATCH_SIZE}`)
    .default(DEFAULT_BATCH_SIZE),
});

export function distributedSettingsFromEnvironment(
  environment: NodeJS.ProcessEnv,
): DistributedSettings & { bucket: string } {
  return settingsFromEnvironment(schema, DISTRIBUTED_ENVIRONMENT_VARIABLES, environment);
}
