import { z } from 'zod';
import { toProblems } from '../lambda/config/parse';
import {
  booleanFlag,
  CONFIG_KEYS,
  integer,
  listOf,
  ouIdSchema,
  regionSchema,
  sweepConfigSchema,
  type SweepConfig,
} from '../lambda/config/schema';
import { parseDuration } from '../lambda/core/duration';
import {
  DEFAULT_BATCH_SIZE,
  MAX_BATCH_SIZE,
  MAX_QUIET_PERIOD_FACTOR,
  MAX_QUIET_PERIOD_SECONDS,
  MIN_QUIET_PERIOD_SECONDS,
} from '../lambda/contract/names';
import { ConfigError, type InputProblem } from '../lambda/errors';

/**
 * The deployment's configuration, from CDK context (cdk.json defaults, `-c key=value` overrides;
 * lists comma-separated). The sweep settings are parsed with the CLI's and the handler's schema;
 * the deployment's own settings are added here. A bad value fails synth with one message naming
 * the key, the value and what is allowed.
 */

export const DEFAULT_SCHEDULE = 'cron(0 3 * * ? *)';
export const DEFAULT_QUIET_PERIOD = '5m';
const [MIN_QUIET_MS, MAX_QUIET_MS] = [MIN_QUIET_PERIOD_SECONDS * 1000, MAX_QUIET_PERIOD_SECONDS * 1000];
export const FAN_OUTS = ['single', 'distributed'] as const;
export const DEFAULT_MAX_BATCHES_IN_FLIGHT = 20;
/** Step Functions' limit on a Distributed Map's concurrency. */
export const MAX_BATCHES_IN_FLIGHT = 10_000;
/**
 * The regions every account of a partition has enabled from the start (no opt-in): where breaking
 * calls are forwarded from under `regions: all`, unless context eventRegions says otherwise. The
 * stack picks its partition's list (from a concrete region, or at deploy time by AWS::Partition).
 */
export const DEFAULT_EVENT_REGIONS_BY_PARTITION = {
  aws: [
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
    'ca-central-1',
    'sa-east-1',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'eu-central-1',
    'eu-north-1',
    'ap-south-1',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-southeast-1',
    'ap-southeast-2',
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-west-1', 'us-gov-east-1'],
} as const satisfies Record<string, readonly string[]>;
export type Partition = keyof typeof DEFAULT_EVENT_REGIONS_BY_PARTITION;
/** The `aws` partition's. */
export const DEFAULT_EVENT_REGIONS = DEFAULT_EVENT_REGIONS_BY_PARTITION.aws;
export const DEFAULT_TIME_ZONE = 'UTC';
export const DEFAULT_INTAKE_LOG_RETENTION_DAYS = 90;
export const DEFAULT_INTAKE_CONCURRENCY = 5;
/** The retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const CRON = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/;
const RATE = /^rate\([1-9]\d* (minute|minutes|hour|hours|day|days)\)$/;

/** An empty value (`-c key=`) is no value: the default applies. */
const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

const scheduleSchema = z.string().refine(
  (expression) => {
    if (RATE.test(expression)) return true;
    const fields = CRON.exec(expression);
    // EventBridge cron: exactly one of day-of-month and day-of-week is "?".
    return fields !== null && (fields[3] === '?') !== (fields[5] === '?');
  },
  { message: 'must be an EventBridge Scheduler expression such as cron(0 3 * * ? *) or rate(1 day)' },
);

const timeZoneSchema = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return zone.length > 0;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone such as UTC or Europe/Berlin' },
);

/** A duration (`5m`, `90s`) within the bounds, in seconds. */
const durationSeconds = (minMs: number, maxMs: number, message: string) =>
  z
    .string({ error: message })
    .refine((text) => {
      const milliseconds = parseDuration(text);
      return milliseconds !== undefined && milliseconds >= minMs && milliseconds <= maxMs;
    }, message)
    .transform((text) => (parseDuration(text) ?? 0) / 1000);

const deploymentSchema = z.strictObject({
  schedule: z.preprocess(emptyAsUndefined, scheduleSchema.default(DEFAULT_SCHEDULE)),
  timeZone: z.preprocess(emptyAsUndefined, timeZoneSchema.default(DEFAULT_TIME_ZONE)),
  notificationEmails: listOf(z.email({ error: 'must be an e-mail address' })),
  deployMemberRole: booleanFlag.optional().default(true),
  memberRoleTargetOuIds: listOf(ouIdSchema),
  /**
   * The member role may be deployed to OUs the sweep does not target (remediate mode): the hub can
   * then write there. Refused unless this says it is meant.
   */
  memberRoleBeyondTargets: booleanFlag.optional().default(false),
  /** Roles that may assume the read-only member role (an operator running the CLI's --dry-run, or doctor). */
  operatorPrincipalArns: listOf(
    z.string().regex(ROLE_ARN_PATTERN, 'must be an IAM role ARN such as arn:aws:iam::111122223333:role/Operator'),
  ),
  /**
   * With protectDefaultPath=enforce: principals the guard rail's SCP lets through, besides the
   * janitor's write role (break-glass, incident response): IAM ARN patterns.
   */
  guardRailExemptPrincipalArns: listOf(
    z
      .string()
      .regex(
        /^arn:(aws[a-z-]*|\*):iam::(\d{12}|\*):(role|user)\/[\w+=,.@/*?-]{1,512}$/,
        'must be an IAM role or user ARN pattern such as arn:aws:iam::*:role/BreakGlass*',
      ),
  ),
  /** Roles that may assume the write member role too (an operator repairing with the CLI); none by default. */
  operatorWritePrincipalArns: listOf(
    z.string().regex(ROLE_ARN_PATTERN, 'must be an IAM role ARN such as arn:aws:iam::111122223333:role/Operator'),
  ),
  /** Repair within minutes of a breaking call (CloudTrail events forwarded to the hub); the nightly sweep stays. */
  eventDrivenRepair: booleanFlag.optional().default(true),
  /** How long an account-region must be free of breaking calls before its event-driven repair: 1m to 24h. */
  /** `doctor --probe` may make its throwaway breaking call through the member role (needs eventDrivenRepair). */
  eventProbe: booleanFlag.optional().default(false),
  /**
   * Days the event intake's logs (which hold the callers' source IPs and user agents) are kept:
   * one of CloudWatch Logs' retention periods.
   */
  /**
   * The event intake's reserved concurrency: a flood of breaking calls (a test suite, a hostile
   * member) takes at most this many of the account's Lambda executions and Scheduler calls.
   */
  intakeConcurrency: z.preprocess(emptyAsUndefined, integer(1, 100).default(DEFAULT_INTAKE_CONCURRENCY)),
  intakeLogRetention: z
    .preprocess(emptyAsUndefined, z.union([z.string(), z.number()]).optional())
    .refine((days) => days === undefined || (LOG_RETENTION_DAYS as readonly number[]).includes(Number(days)), {
      message: `must be one of CloudWatch Logs' retention periods in days: ${LOG_RETENTION_DAYS.join(', ')}`,
    })
    .transform((days) => (days === undefined ? DEFAULT_INTAKE_LOG_RETENTION_DAYS : Number(days))),
  quietPeriod: z.preprocess(
    (value) => (value === '' || value === undefined ? DEFAULT_QUIET_PERIOD : value),
    durationSeconds(MIN_QUIET_MS, MAX_QUIET_MS, 'must be a duration from 1m to 24h, such as 5m or 90s'),
  ),
  /**
   * The longest a repair may be put off by a stream of breaking calls, from the first of them:
   * `quietPeriod` to 96h (default 4 × quietPeriod). Past it the schedule is not moved again.
   */
  maxQuietPeriod: z.preprocess(
    emptyAsUndefined,
    durationSeconds(
      MIN_QUIET_MS,
      MAX_QUIET_PERIOD_FACTOR * MAX_QUIET_MS,
      'must be a duration from 1m to 96h',
    ).optional(),
  ),
  /** With `regions: all`: the regions whose breaking calls are forwarded (default: the partition's DEFAULT_EVENT_REGIONS_BY_PARTITION). */
  eventRegions: listOf(regionSchema),
  /** `single`: one function sweeps everything; `distributed`: Step Functions, in batches of accounts. */
  fanOut: z.preprocess(
    emptyAsUndefined,
    z.enum(FAN_OUTS, { error: `must be one of: ${FAN_OUTS.join(', ')}` }).default('single'),
  ),
  /** With fanOut=distributed: accounts per batch (one function invocation each). */
  batchSize: z.preprocess(emptyAsUndefined, integer(1, MAX_BATCH_SIZE).default(DEFAULT_BATCH_SIZE)),
  /** With fanOut=distributed: batches swept at once (the Distributed Map's MaxConcurrency). */
  maxBatchesInFlight: z.preprocess(
    emptyAsUndefined,
    integer(1, MAX_BATCHES_IN_FLIGHT).default(DEFAULT_MAX_BATCHES_IN_FLIGHT),
  ),
  /** `SELF` from the management account; `DELEGATED_ADMIN` from a StackSets delegated administrator. */
  stackSetCallAs: z.preprocess(
    emptyAsUndefined,
    z.enum(['SELF', 'DELEGATED_ADMIN'], { error: 'must be SELF or DELEGATED_ADMIN' }).default('SELF'),
  ),
});

export const DEPLOYMENT_KEYS = Object.keys(deploymentSchema.shape) as (keyof z.output<typeof deploymentSchema>)[];
export const CONTEXT_KEYS: readonly string[] = [...CONFIG_KEYS, ...DEPLOYMENT_KEYS];

export interface DeploymentConfig extends Omit<z.output<typeof deploymentSchema>, 'eventRegions'> {
  readonly sweep: SweepConfig;
  /** Where breaking calls are forwarded from; undefined: the partition's regions enabled by default. */
  readonly eventRegions: readonly string[] | undefined;
}

/**
 * @param context every context value of the app (`app.node.getAllContext()`); keys that look like
 *   ours (plain camelCase) but are not known are refused, so a typo is not silently ignored.
 */
export function deploymentConfigFromContext(context: Record<string, unknown>): DeploymentConfig {
  const label = (key: string) => key;
  const pick = (keys: readonly string[]) =>
    Object.fromEntries(keys.filter((key) => context[key] !== undefined).map((key) => [key, context[key]]));
  const problems: InputProblem[] = Object.keys(context)
    .filter((key) => /^[a-z][a-zA-Z0-9]*$/.test(key) && !CONTEXT_KEYS.includes(key))
    .map((key) => ({ field: key, message: `is not a known setting (allowed: ${CONTEXT_KEYS.join(', ')})` }));

  const sweep = sweepConfigSchema.safeParse(pick(CONFIG_KEYS), { reportInput: true });
  if (!sweep.success) problems.push(...toProblems(sweep.error.issues, label));
  const deployment = deploymentSchema.safeParse(pick(DEPLOYMENT_KEYS), { reportInput: true });
  if (!deployment.success) problems.push(...toProblems(deployment.error.issues, label));

  if (sweep.success && deployment.success) {
    const memberRoleTargetOuIds =
      deployment.data.memberRoleTargetOuIds.length > 0 ? deployment.data.memberRoleTargetOuIds : sweep.data.targetOuIds;
    if (deployment.data.deployMemberRole && memberRoleTargetOuIds.length === 0) {
      problems.push({
        field: 'memberRoleTargetOuIds',
        message:
          'the member role StackSet deploys to OUs: name them (or targetOuIds), or set deployMemberRole=false and deploy the role yourself',
      });
    } else {
      const beyond = rolloutBeyondTargets(sweep.data, deployment.data.deployMemberRole, memberRoleTargetOuIds);
      if (beyond.length > 0 && !deployment.data.memberRoleBeyondTargets) {
        problems.push({
          field: 'memberRoleTargetOuIds',
          value: beyond.join(','),
          message: `not among the targets (targetOuIds: ${sweep.data.targetOuIds.join(', ') || 'none'}): in remediate mode the hub could write there; target them, or set memberRoleBeyondTargets=true if it is meant`,
        });
      }
      const { maxQuietPeriod, quietPeriod } = deployment.data;
      if (maxQuietPeriod !== undefined && maxQuietPeriod < quietPeriod) {
        problems.push({
          field: 'maxQuietPeriod',
          value: String(context['maxQuietPeriod']),
          message: `must be at least quietPeriod (${quietPeriod} s)`,
        });
      }
      if (deployment.data.eventProbe && !deployment.data.eventDrivenRepair) {
        problems.push({
          field: 'eventProbe',
          message: 'needs eventDrivenRepair: the probe proves the event path, which eventDrivenRepair=false leaves out',
        });
      }
      const configured = sweep.data.regions;
      const outside = configured === 'all' ? [] : deployment.data.eventRegions.filter((r) => !configured.includes(r));
      if (outside.length > 0) {
        problems.push({
          field: 'eventRegions',
          value: outside.join(','),
          message: `not among the configured regions (${configured === 'all' ? 'all' : configured.join(', ')})`,
        });
      }
      // Unset with `regions: all`: the stack's partition decides (DEFAULT_EVENT_REGIONS_BY_PARTITION).
      const eventRegions =
        deployment.data.eventRegions.length > 0
          ? deployment.data.eventRegions
          : configured === 'all'
            ? undefined
            : configured;
      if (problems.length === 0) {
        return { ...deployment.data, memberRoleTargetOuIds, eventRegions, sweep: sweep.data };
      }
    }
  }
  throw new ConfigError('invalid CDK context', problems);
}

/**
 * The OUs the member role StackSet would reach that the sweep does not target, in remediate mode
 * (a read-only role anywhere is harmless). With `allAccounts` nothing is beyond; with account ids
 * alone the StackSet reaches only those accounts (see MemberRoleStackSet). An OU nested
 * below a target OU is counted as beyond: the synth cannot see the organization's tree.
 */
export function rolloutBeyondTargets(
  sweep: SweepConfig,
  deployMemberRole: boolean,
  memberRoleTargetOuIds: readonly string[],
): string[] {
  if (!deployMemberRole || sweep.mode !== 'remediate' || sweep.allAccounts) return [];
  // Accounts named by id alone: the StackSet deploys to those accounts of the OUs, nowhere else.
  if (sweep.targetOuIds.length === 0) return [];
  return memberRoleTargetOuIds.filter((ouId) => !sweep.targetOuIds.includes(ouId));
}
