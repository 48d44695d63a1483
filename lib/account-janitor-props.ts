import type { Duration } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { SweepConfig } from '../lambda/config/schema';
import type { RestoreTrigger } from '../lambda/core/restore-triggers';
import type { SlackChannel, TeamsChannel } from './constructs/chat-channels';
import type { StackSetCallAs } from './constructs/member-role-stack-set';

/**
 * What an AccountJanitor is built from. The deployable stack derives them from CDK context (each
 * deployment setting becomes the prop of its name, `lib/account-janitor-stack.ts`); another app
 * gives them itself. The construct checks the rules between them (`lib/account-janitor-rules.ts`).
 * Each `@default` names the exported constant the construct uses.
 */

/** `single`: one function sweeps the organization; `distributed`: Step Functions, in batches of accounts. */
export type FanOut = 'single' | 'distributed';
export type { StackSetCallAs };

export interface AccountJanitorProps {
  /** What to sweep: the same configuration as the CLI's and the handler's. */
  readonly sweep: SweepConfig;
  /**
   * EventBridge Scheduler expression of the nightly run.
   * @default DEFAULT_SCHEDULE
   */
  readonly schedule?: string;
  /**
   * IANA time zone of the schedule.
   * @default DEFAULT_TIME_ZONE
   */
  readonly timeZone?: string;
  /**
   * E-mail addresses for the alarms and the run digest.
   * @default - none
   */
  readonly notificationEmails?: readonly string[];
  /**
   * Deploy the member role with a service-managed StackSet (else deploy it yourself).
   * @default true
   */
  readonly deployMemberRole?: boolean;
  /**
   * OUs that get the member role; needed when `deployMemberRole` and the targets name no OU.
   * @default - the target OUs, `sweep.targetOuIds`
   */
  readonly memberRoleTargetOuIds?: readonly string[];
  /**
   * Allow `memberRoleTargetOuIds` beyond `sweep.targetOuIds` in remediate mode, where the hub could
   * then write (otherwise the construct refuses them). It changes nothing that is deployed.
   * @default false
   */
  readonly memberRoleBeyondTargets?: boolean;
  /**
   * How the StackSets are called: from the management account, or a delegated administrator.
   * @default 'SELF'
   */
  readonly stackSetCallAs?: StackSetCallAs;
  /**
   * Roles the read-only member role trusts: operators who run the CLI's `--dry-run` or `doctor`.
   * @default - none
   */
  readonly operatorPrincipalArns?: readonly string[];
  /**
   * Roles the write member role trusts too (never as the janitor's session): operators who repair with the CLI.
   * @default - none
   */
  readonly operatorWritePrincipalArns?: readonly string[];
  /**
   * With protectDefaultPath=enforce: principals the guard rail lets through (break-glass, responders; ARN patterns).
   * @default - none but the janitor's write role
   */
  readonly guardRailExemptPrincipalArns?: readonly string[];
  /**
   * Repair within minutes of a breaking call: the member accounts forward CloudTrail's events of
   * the calls that break the default path to a bus of the hub. The bus accepts events from
   * `sweep.organizationId` only; left out, it is read at deploy time (DescribeOrganization, a
   * custom resource).
   * @default true
   */
  readonly eventDrivenRepair?: boolean;
  /**
   * Let `account-janitor doctor --probe` prove the event path: the member role may create a route
   * table tagged account-janitor:probe, add and delete a route in it, and delete it. Needs
   * `eventDrivenRepair`.
   * @default false
   */
  readonly eventProbe?: boolean;
  /**
   * The longest a stream of breaking calls may put a repair off, from the first; at least `quietPeriod`.
   * @default - MAX_QUIET_PERIOD_FACTOR × quietPeriod
   */
  readonly maxQuietPeriod?: Duration;
  /**
   * The event intake's reserved concurrency: what a flood of breaking calls can take.
   * @default DEFAULT_INTAKE_CONCURRENCY
   */
  readonly intakeConcurrency?: number;
  /**
   * Days the event intake's logs (callers' source IPs and user agents) are kept.
   * @default DEFAULT_INTAKE_LOG_RETENTION_DAYS
   */
  readonly intakeLogRetention?: logs.RetentionDays;
  /**
   * How long an account-region must be free of breaking calls before its repair.
   * @default Duration.seconds(DEFAULT_QUIET_PERIOD_SECONDS)
   */
  readonly quietPeriod?: Duration;
  /**
   * Where breaking calls are forwarded from; within the configured regions unless `regions: all`.
   * @default - the configured regions, or with `regions: all` the regions enabled by default in the
   *   stack's partition (DEFAULT_EVENT_REGIONS_BY_PARTITION)
   */
  readonly eventRegions?: readonly string[];
  /**
   * `single`: one function sweeps the organization. `distributed`: a Step Functions state machine
   * plans once, sweeps batches of `batchSize` accounts in parallel (`maxBatchesInFlight`), and
   * merges: for organizations one 15-minute invocation cannot finish.
   * @default 'single'
   */
  readonly fanOut?: FanOut;
  /**
   * With `distributed`: accounts per batch.
   * @default DEFAULT_BATCH_SIZE
   */
  readonly batchSize?: number;
  /**
   * With `distributed`: batches at once.
   * @default DEFAULT_MAX_BATCHES_IN_FLIGHT
   */
  readonly maxBatchesInFlight?: number;
  /**
   * How long without a run before the heartbeat alarm fires.
   * @default Duration.hours(DEFAULT_HEARTBEAT_HOURS)
   */
  readonly heartbeat?: Duration;
  /**
   * Write each nightly (and manual) run's HTML report (one self-contained page: a heatmap of
   * accounts × regions, then what needs attention) to S3; the digest names its S3 URI. With
   * fanOut=distributed the run bucket holds the pages; otherwise a bucket of its own.
   * @default false
   */
  readonly htmlReport?: boolean;
  /**
   * Slack channels (AWS Chatbot) that get the alarms and the digest, read-only; the workspace is
   * authorized once in Chatbot's console. The `aws` partition only.
   * @default - none
   */
  readonly slackChannels?: readonly SlackChannel[];
  /**
   * Microsoft Teams channels, the same way.
   * @default - none
   */
  readonly teamsChannels?: readonly TeamsChannel[];
  /**
   * Events that restore one account at once (every target region, no quiet period; needs
   * `eventDrivenRepair`, whose bus hears them): Control Tower's account created or updated,
   * Organizations' MoveAccount, Innovation Sandbox's clean-up, the janitor's own restore event.
   * @default - none
   */
  readonly restoreOn?: readonly RestoreTrigger[];
  /**
   * With `restoreOn` `innovation-sandbox`: Innovation Sandbox on AWS's event bus, in the stack's
   * region; its policy must let this account manage rules on it (docs/restore-triggers.md).
   * @default - none
   */
  readonly innovationSandboxEventBusArn?: string;
  /**
   * With `restoreOn` `event`: principals (ARN patterns, each naming its account) the hub's bus lets
   * put the restore event.
   * @default - none
   */
  readonly restoreEventPrincipalArns?: readonly string[];
  /**
   * Names the alarms `<name>_<alarm>` (e.g. `AccountJanitor_DriftDetected`). Letters, digits and
   * dashes, as a stack name (STACK_NAME_PATTERN): the `_` then cannot occur in the name, so no
   * other janitor's alarms share the prefix (the topic and key policies allow exactly it). Give
   * each AccountJanitor of one account a name of its own.
   * @default - the stack's name
   */
  readonly name?: string;
}
