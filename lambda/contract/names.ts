/**
 * The names the stack and the functions share: the environment variables the stack writes and the
 * handlers read, the tag keys both use, and the shared defaults the stack's defaults derive from.
 * One module that lib/ and lambda/ import, so the two cannot drift apart (stack outputs, IAM action
 * lists and runtime flags have their own files here).
 */

/** At most one event-driven digest per account-region in this many seconds. */
export const EVENT_DIGEST_INTERVAL_SECONDS = 3600;

/**
 * How long without a reported run is a failure: a nightly run plus slack. The heartbeat alarm's
 * default, and what `doctor`'s last-run check looks back over.
 */
export const DEFAULT_HEARTBEAT_HOURS = 26;

/** The table's name, set by the stack on the sweep function when the event path is deployed. */
export const DIGEST_LEDGER_TABLE_VARIABLE = 'JANITOR_DIGEST_LEDGER_TABLE';

/** The table's partition key (a string, `<account>/<region>`) and TTL attribute. */
export const DIGEST_LEDGER_KEY = 'accountRegion';
export const DIGEST_LEDGER_TTL_ATTRIBUTE = 'expiresAt';

/** The event intake's settings (lambda/events/intake.ts), by the environment variable the stack sets. */
export const INTAKE_ENVIRONMENT_VARIABLES = {
  quietPeriodSeconds: 'JANITOR_QUIET_PERIOD_SECONDS',
  maxQuietPeriodSeconds: 'JANITOR_MAX_QUIET_PERIOD_SECONDS',
  scheduleGroupName: 'JANITOR_REPAIR_SCHEDULE_GROUP',
  sweepFunctionArn: 'JANITOR_SWEEP_FUNCTION_ARN',
  schedulerRoleArn: 'JANITOR_SCHEDULER_ROLE_ARN',
  deadLetterQueueArn: 'JANITOR_DEAD_LETTER_QUEUE_ARN',
} as const;

/** The quiet period of the event path: its default and its bounds, in seconds (context quietPeriod). */
export const DEFAULT_QUIET_PERIOD_SECONDS = 300;
export const MIN_QUIET_PERIOD_SECONDS = 60;
export const MAX_QUIET_PERIOD_SECONDS = 86_400;

/** maxQuietPeriod, unless set: this many quiet periods after the first breaking call. */
export const MAX_QUIET_PERIOD_FACTOR = 4;

/** The distributed sweep's settings (lambda/distributed/settings.ts), by environment variable. */
export const DISTRIBUTED_ENVIRONMENT_VARIABLES = {
  bucket: 'JANITOR_RUN_BUCKET',
  batchSize: 'JANITOR_BATCH_SIZE',
} as const;

/** Accounts per batch of a distributed run: the default, and the most a batch may hold. */
export const DEFAULT_BATCH_SIZE = 100;
export const MAX_BATCH_SIZE = 1000;

export { PROBE_TAG_KEY } from './tags';

/** htmlReport: the bucket the nightly run's HTML page goes to (set by the stack), and its prefix. */
export const HTML_REPORT_BUCKET_VARIABLE = 'JANITOR_HTML_REPORT_BUCKET';
export const HTML_REPORT_PREFIX = 'reports/';

/**
 * The janitor's StackSets are named `<prefix>member-role-<stack>` and `<prefix>events-<stack>`;
 * a service-managed StackSet names each instance stack `StackSet-<StackSet name>-<id>` (AWS CLI
 * reference, describe-stack-instance), which the guard rail keeps (protectDefaultPath=enforce).
 */
export const STACK_SET_NAME_PREFIX = 'account-janitor-';
/** The instance stacks of the janitor's StackSets in a member account: this prefix, then the rest of the name. */
export const STACK_SET_INSTANCE_PREFIX = `StackSet-${STACK_SET_NAME_PREFIX}`;
/** The role service-managed StackSets create in each target account and act through: this prefix, then an id. */
export const STACK_SET_EXECUTION_ROLE_PREFIX = 'stacksets-exec-';

/** The event forwarder's rule on the default bus of each member account-region: named, so the guard rail can keep it. */
export const FORWARDER_RULE_NAME = 'account-janitor-breaking-calls';
/** The forwarder's role, one per event region (IAM is global): this prefix, then the region. */
export const FORWARDER_ROLE_NAME_PREFIX = 'account-janitor-forwarder-';
