import type { z } from 'zod';
import { DIGEST_LEDGER_TABLE_VARIABLE, HTML_REPORT_BUCKET_VARIABLE } from '../contract/names';
import { ConfigError } from '../errors';
import { parseSweepConfig, toProblems } from './parse';
import { CONFIG_KEYS, type ConfigKey, type SweepConfig } from './schema';
import { SWEEP_SETTINGS } from './settings';

/**
 * The Lambda function's configuration travels in environment variables, named in the settings
 * table (settings.ts): the handler reads them, and the CDK stack writes them.
 */
export const CONFIG_ENVIRONMENT_VARIABLES = Object.fromEntries(
  CONFIG_KEYS.map((key) => [key, SWEEP_SETTINGS[key].env]),
) as Readonly<Record<ConfigKey, string>>;

/** The SNS topic that receives the run digest (set by the stack; optional elsewhere). */
export const NOTIFICATION_TOPIC_VARIABLE = 'JANITOR_NOTIFICATION_TOPIC_ARN';
const TOPIC_ARN_PATTERN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/;

/** The digest topic from the environment, if any; a malformed ARN fails like any bad variable. */
export function notificationTopicFromEnvironment(environment: NodeJS.ProcessEnv): string | undefined {
  const value = environment[NOTIFICATION_TOPIC_VARIABLE];
  if (value === undefined || value === '') return undefined;
  if (!TOPIC_ARN_PATTERN.test(value)) {
    throw new ConfigError('invalid Lambda environment', [
      { field: NOTIFICATION_TOPIC_VARIABLE, value, message: 'must be an SNS topic ARN' },
    ]);
  }
  return value;
}

/** The event path's digest ledger (set by the stack with the event path), if any. */
export function digestLedgerTableFromEnvironment(environment: NodeJS.ProcessEnv): string | undefined {
  const value = environment[DIGEST_LEDGER_TABLE_VARIABLE];
  if (value === undefined || value === '') return undefined;
  if (!/^[\w.-]{3,255}$/.test(value)) {
    throw new ConfigError('invalid Lambda environment', [
      { field: DIGEST_LEDGER_TABLE_VARIABLE, value, message: 'must be a DynamoDB table name' },
    ]);
  }
  return value;
}

/** htmlReport's bucket (set by the stack with htmlReport), if any. */
export function htmlReportBucketFromEnvironment(environment: NodeJS.ProcessEnv): string | undefined {
  const value = environment[HTML_REPORT_BUCKET_VARIABLE];
  if (value === undefined || value === '') return undefined;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value)) {
    throw new ConfigError('invalid Lambda environment', [
      { field: HTML_REPORT_BUCKET_VARIABLE, value, message: 'must be an S3 bucket name' },
    ]);
  }
  return value;
}

/** Reads and validates the sweep configuration from environment variables (once, at cold start). */
export function sweepConfigFromEnvironment(environment: NodeJS.ProcessEnv): SweepConfig {
  const raw: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    const value = environment[CONFIG_ENVIRONMENT_VARIABLES[key]];
    if (value !== undefined) raw[key] = value;
  }
  return parseSweepConfig(
    raw,
    'invalid Lambda environment',
    (key) => CONFIG_ENVIRONMENT_VARIABLES[key as ConfigKey] ?? key,
  );
}

/** A parsed value as its variable carries it: lists comma-separated, a tag as `key=value`. */
function asText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.map((item: unknown) => scalarText(item)).join(',') : scalarText(value);
}

function scalarText(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && value !== null && 'key' in value && 'value' in value) {
    return `${scalarText(value.key)}=${scalarText(value.value)}`;
  }
  return JSON.stringify(value);
}

/** Switches whose aliases (settings.ts `aliasOf`) carry them to the functions. */
const CARRIED_BY_ALIASES = new Set<string>(
  Object.values(SWEEP_SETTINGS).flatMap((setting) => ('aliasOf' in setting ? [setting.aliasOf[0]] : [])),
);

/**
 * The environment variables that carry a configuration, the inverse of
 * `sweepConfigFromEnvironment`. Lists are comma-separated; unset optional values are left out. The
 * functions get the aliases' booleans of a check/repair switch, which say exactly what the engine
 * reads.
 */
export function sweepConfigToEnvironment(config: SweepConfig): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const key of CONFIG_KEYS) {
    const value = CARRIED_BY_ALIASES.has(key) ? undefined : asText(config[key]);
    if (value !== undefined && value !== '') environment[CONFIG_ENVIRONMENT_VARIABLES[key]] = value;
  }
  return environment;
}

/**
 * A function's own settings (besides the sweep's configuration) from its environment, read once
 * at cold start: each key from its variable (unset or empty: the schema's default), one
 * ConfigError naming every bad variable and its value.
 */
export function settingsFromEnvironment<S extends z.ZodType>(
  schema: S,
  variables: Readonly<Record<string, string>>,
  environment: NodeJS.ProcessEnv,
): z.output<S> {
  const raw = Object.fromEntries(
    Object.entries(variables)
      .filter(([, variable]) => environment[variable] !== undefined && environment[variable] !== '')
      .map(([key, variable]) => [key, environment[variable]]),
  );
  const result = schema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data;
  throw new ConfigError(
    'invalid Lambda environment',
    toProblems(result.error.issues, (key) => variables[key] ?? key),
  );
}
