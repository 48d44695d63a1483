import { z } from 'zod';
import { booleanFlag, integer, listOf, ouIdSchema, regionSchema } from '../lambda/config/schema';
import type { Setting } from '../lambda/config/settings';
import { emptyAsUndefined, oneOf } from '../lambda/config/values';
import { principalSchema } from '../lambda/config/principals';
import { parseDuration } from '../lambda/core/duration';
import { RESTORE_TRIGGERS } from '../lambda/core/restore-triggers';
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_QUIET_PERIOD_SECONDS,
  MAX_BATCH_SIZE,
  MAX_QUIET_PERIOD_FACTOR,
  MAX_QUIET_PERIOD_SECONDS,
  MIN_QUIET_PERIOD_SECONDS,
} from '../lambda/contract/names';

/**
 * Every deployment setting (CDK context only) once: its schema (type, bounds, default) and one
 * line of documentation. The deployment schema (config.ts) and, with the sweep settings
 * (lambda/config/settings.ts), the configuration reference (docs/configuration.md, `npm run docs`)
 * are derived from this table. Each setting is the AccountJanitor prop of its name: a new entry
 * needs that prop and its line in PROP_OF_SETTING (lib/account-janitor-stack.ts), or tsc fails.
 */

export const DEFAULT_SCHEDULE = 'cron(0 3 * * ? *)';
export const DEFAULT_TIME_ZONE = 'UTC';
/** The quiet period's default as context writes it (`5m`). */
const DEFAULT_QUIET_PERIOD = `${DEFAULT_QUIET_PERIOD_SECONDS / 60}m`;
const FAN_OUTS = ['single', 'distributed'] as const;
export const DEFAULT_MAX_BATCHES_IN_FLIGHT = 20;
/** Step Functions' limit on a Distributed Map's concurrency. */
const MAX_BATCHES_IN_FLIGHT = 10_000;
export const DEFAULT_INTAKE_LOG_RETENTION_DAYS = 90;
export const DEFAULT_INTAKE_CONCURRENCY = 5;
/** The retention periods CloudWatch Logs accepts, in days. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const [MIN_QUIET_MS, MAX_QUIET_MS] = [MIN_QUIET_PERIOD_SECONDS * 1000, MAX_QUIET_PERIOD_SECONDS * 1000];
const CRON = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/;
const RATE = /^rate\([1-9]\d* (minute|minutes|hour|hours|day|days)\)$/;

/** An empty value (`-c key=`) is no value: the default applies. */
const unset = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value: string | number | undefined) => emptyAsUndefined(value), schema);

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

const roleArns = listOf(principalSchema('operator'));

/** An EventBridge bus's ARN: `arn:<partition>:events:<region>:<account>:event-bus/<name>`. */
const eventBusArnSchema = z
  .string()
  .regex(
    /^arn:aws(-[a-z]+)*:events:[a-z]{2}(-[a-z]+)+-\d{1,2}:\d{12}:event-bus\/[\w.\-/]{1,256}$/,
    'must be an event bus ARN such as arn:aws:events:us-east-1:111122223333:event-bus/InnovationSandboxComputeISBEventBus',
  );

/** A Slack channel for AWS Chatbot: `workspaceId/channelId` (the ids Chatbot's console shows). */
const slackChannelSchema = z
  .string()
  .regex(/^[0-9A-Z]{1,255}\/[A-Za-z0-9]{1,255}$/, 'must be workspaceId/channelId, such as T07EA123LEP/C07EZ1ABC01')
  .transform((text) => {
    const [workspaceId = '', channelId = ''] = text.split('/');
    return { workspaceId, channelId };
  });

const UUID = '[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}';
/** A Microsoft Teams channel for AWS Chatbot: `teamId/channelId/tenantId`, the channel id URL-encoded as Chatbot takes it. */
const teamsChannelSchema = z
  .string()
  .regex(
    new RegExp(`^${UUID}/[A-Za-z0-9\\-_=+.]*%3[aA][A-Za-z0-9\\-_=+.]*%40[A-Za-z0-9\\-_=+.]*/${UUID}$`),
    'must be teamId/channelId/tenantId, such as 5f8e3c2a-1b4d-4e6f-9a0b-7c8d9e0f1a2b/19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2/0c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f',
  )
  .transform((text) => {
    const [teamId = '', channelId = '', tenantId = ''] = text.split('/');
    return { teamId, channelId, tenantId };
  });

type DeploymentSetting = Pick<Setting, 'schema' | 'shown' | 'doc'> & {
  /**
   * A synth-time guard: it lets a configuration through or refuses it, and never changes the
   * template. Every other setting changes the template when it is not its default (a test sets each).
   */
  readonly synthGuard?: true;
};

export const DEPLOYMENT_SETTINGS = {
  schedule: {
    schema: unset(scheduleSchema.default(DEFAULT_SCHEDULE)),
    doc: 'EventBridge Scheduler expression of the nightly run',
  },
  timeZone: { schema: unset(timeZoneSchema.default(DEFAULT_TIME_ZONE)), doc: 'IANA time zone of the schedule' },
  notificationEmails: {
    schema: listOf(z.email({ error: 'must be an e-mail address' })),
    doc: 'e-mail addresses for the alarms and the run digest',
  },
  deployMemberRole: {
    schema: booleanFlag.optional().default(true),
    doc: 'deploy the member roles with a service-managed StackSet',
  },
  memberRoleTargetOuIds: {
    schema: listOf(ouIdSchema),
    shown: '`targetOuIds`',
    doc: 'OUs (or the root `r-…`) that get the member roles',
  },
  memberRoleBeyondTargets: {
    schema: booleanFlag.optional().default(false),
    doc: 'allow `memberRoleTargetOuIds` beyond `targetOuIds` in remediate mode, where the hub could then write (otherwise synth refuses)',
    synthGuard: true,
  },
  operatorPrincipalArns: {
    schema: roleArns,
    doc: 'roles the read-only member role trusts: operators who run `doctor` or the CLI with `--dry-run`',
  },
  guardRailExemptPrincipalArns: {
    schema: listOf(principalSchema('exempt')),
    doc: 'with `protectDefaultPath=enforce`: principals (IAM ARN patterns, each naming its 12-digit account; `*` and `?` in the name only) the SCP lets through besides the janitor’s write role',
  },
  operatorWritePrincipalArns: {
    schema: roleArns,
    doc: 'roles the write member role trusts too (never as the janitor’s session): operators who repair with the CLI',
  },
  eventDrivenRepair: {
    schema: booleanFlag.optional().default(true),
    doc: 'repair within minutes of a breaking call (the hub’s bus, the intake, the forwarder StackSet); the nightly sweep stays',
  },
  eventProbe: {
    schema: booleanFlag.optional().default(false),
    doc: 'let `doctor --probe` make its throwaway breaking call (route tables tagged `account-janitor:probe` only; needs `eventDrivenRepair`)',
  },
  intakeConcurrency: {
    schema: unset(integer(2, 100).default(DEFAULT_INTAKE_CONCURRENCY)),
    doc: 'the event intake’s reserved concurrency, and its queue’s pollers: what a flood of breaking calls may take (2–100; 2 is the least an SQS event source polls with)',
  },
  intakeLogRetention: {
    schema: unset(z.union([z.string(), z.number()]).optional())
      .refine((days) => days === undefined || (LOG_RETENTION_DAYS as readonly number[]).includes(Number(days)), {
        message: `must be one of CloudWatch Logs' retention periods in days: ${LOG_RETENTION_DAYS.join(', ')}`,
      })
      .transform((days) => (days === undefined ? DEFAULT_INTAKE_LOG_RETENTION_DAYS : Number(days))),
    doc: 'days the intake’s logs (callers’ source IPs and user agents) are kept: one of CloudWatch Logs’ periods',
  },
  quietPeriod: {
    schema: z.preprocess(
      (value: string | undefined) => (value === '' || value === undefined ? DEFAULT_QUIET_PERIOD : value),
      durationSeconds(MIN_QUIET_MS, MAX_QUIET_MS, 'must be a duration from 1m to 24h, such as 5m or 90s'),
    ),
    shown: `\`${DEFAULT_QUIET_PERIOD}\``,
    doc: 'how long an account-region must be free of breaking calls before its repair (`1m`–`24h`)',
  },
  maxQuietPeriod: {
    schema: unset(
      durationSeconds(
        MIN_QUIET_MS,
        MAX_QUIET_PERIOD_FACTOR * MAX_QUIET_MS,
        'must be a duration from 1m to 96h',
      ).optional(),
    ),
    shown: `${MAX_QUIET_PERIOD_FACTOR} × \`quietPeriod\``,
    doc: 'the longest a stream of breaking calls may put a repair off, from the first call (`quietPeriod`–`96h`); past it the schedule is not moved again',
  },
  eventRegions: {
    schema: listOf(regionSchema),
    shown: 'the regions enabled by default in the partition',
    doc: 'with `regions: all`, where breaking calls are forwarded from',
  },
  fanOut: {
    schema: unset(oneOf(FAN_OUTS).default('single')),
    doc: '`single` (one function sweeps everything) or `distributed` (Step Functions, in batches of accounts)',
  },
  batchSize: {
    schema: unset(integer(1, MAX_BATCH_SIZE).default(DEFAULT_BATCH_SIZE)),
    doc: `with \`distributed\`: accounts per batch, one function invocation each (1–${MAX_BATCH_SIZE})`,
  },
  maxBatchesInFlight: {
    schema: unset(integer(1, MAX_BATCHES_IN_FLIGHT).default(DEFAULT_MAX_BATCHES_IN_FLIGHT)),
    doc: 'with `distributed`: batches at once (the Distributed Map’s MaxConcurrency)',
  },
  slackChannels: {
    schema: listOf(slackChannelSchema).refine((channels) => channels.length <= 10, 'at most 10 channels'),
    doc: '`workspaceId/channelId` pairs: AWS Chatbot channels that get the alarms and the digest (the workspace authorized once in Chatbot’s console; `aws` partition only)',
  },
  teamsChannels: {
    schema: listOf(teamsChannelSchema).refine((channels) => channels.length <= 10, 'at most 10 channels'),
    doc: '`teamId/channelId/tenantId`: Microsoft Teams channels, the same way (the channel id URL-encoded, as Chatbot’s console shows it)',
  },
  htmlReport: {
    schema: booleanFlag.optional().default(false),
    doc: 'write each nightly (and manual) run’s HTML report, a heatmap of accounts × regions, to S3 (the run bucket with `distributed`, else a bucket of its own); the digest names its S3 URI',
  },
  restoreOn: {
    schema: listOf(oneOf(RESTORE_TRIGGERS)),
    shown: 'none',
    doc: `events that restore one account at once, every target region (a targeted sweep, no quiet period; needs \`eventDrivenRepair\`): ${RESTORE_TRIGGERS.map((trigger) => `\`${trigger}\``).join(', ')}; see docs/restore-triggers.md`,
  },
  innovationSandboxEventBusArn: {
    schema: unset(eventBusArnSchema.optional()),
    doc: 'with `restoreOn` `innovation-sandbox`: Innovation Sandbox on AWS’s event bus (its ARN, in the stack’s region), where a rule forwards `AccountCleanupSucceeded` to the hub’s bus',
  },
  restoreEventPrincipalArns: {
    schema: listOf(principalSchema('restorer')),
    doc: 'with `restoreOn` `event`: principals (IAM ARN patterns, each naming its 12-digit account; `*` and `?` in the name only) the hub’s bus lets put `Restore account defaults`',
  },
  stackSetCallAs: {
    schema: unset(z.enum(['SELF', 'DELEGATED_ADMIN'], { error: 'must be SELF or DELEGATED_ADMIN' }).default('SELF')),
    doc: '`SELF` (from the management account) or `DELEGATED_ADMIN` (from a StackSets delegated administrator)',
  },
} as const satisfies Record<string, DeploymentSetting>;

type Schemas = { readonly [K in keyof typeof DEPLOYMENT_SETTINGS]: (typeof DEPLOYMENT_SETTINGS)[K]['schema'] };

/** The deployment's own settings' schema, made from the table. */
export const deploymentSchema = z.strictObject(
  Object.fromEntries(
    Object.entries(DEPLOYMENT_SETTINGS).map(([key, setting]) => [key, setting.schema]),
  ) as unknown as Schemas,
);
