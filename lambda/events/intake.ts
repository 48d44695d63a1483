import {
  DEFAULT_QUIET_PERIOD_SECONDS,
  INTAKE_ENVIRONMENT_VARIABLES,
  MAX_QUIET_PERIOD_FACTOR,
  MAX_QUIET_PERIOD_SECONDS,
  MIN_QUIET_PERIOD_SECONDS,
} from '../contract/names';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import { z } from 'zod';
import { scheduleOnce } from '../aws/scheduler';
import { settingsFromEnvironment } from '../config/environment';
import type { SweepConfig } from '../config/schema';
import { causeOf, isJanitorCall, strongerCause, type Cause } from '../core/who-broke-it';
import {
  BREAKING_CALLS,
  breakingCallOptionsFor,
  breakingEventNames,
  ignoredByWhatItNamed,
  isBreakingCall,
} from '../core/breaking-calls';
import { guardRailRefuses } from '../core/breaking-call-entry';
import { refusedByScp, type GuardRailEntry } from '../core/plan-protection';
import type { SweepLogger } from '../sweep';
import { parseBreakingEvent, type BreakingEvent } from './breaking-event';
import { outsideConfiguredTargets, targetedRepairEvent, targetedRepairEventSchema } from './targeted-repair';

/**
 * The event intake: each breaking call forwarded to the hub's bus (re)starts the quiet period of
 * its account-region, a one-time EventBridge Scheduler schedule named after it. A burst of calls
 * keeps moving one schedule; when the account-region has been quiet for the whole period, the
 * schedule invokes the sweep function once, naming the burst's most direct call as the cause
 * (strongerCause: its DeleteRoute rather than the DeleteSubnet calls after it). What the
 * configuration alone shows is none of the janitor's business is left alone here, with the reason.
 */

/** Where the intake puts its schedules and what they invoke: set by the stack. */
export interface IntakeSettings {
  readonly quietPeriodSeconds: number;
  /**
   * How long after the first breaking call of a quiet period the repair may be put off, however
   * many calls follow (default 4 × the quiet period): a steady stream cannot postpone it forever.
   */
  readonly maxQuietPeriodSeconds?: number;
  readonly scheduleGroupName: string;
  readonly sweepFunctionArn: string;
  readonly schedulerRoleArn: string;
  readonly deadLetterQueueArn: string;
}

const arn = (service: string) =>
  z.string().regex(new RegExp(`^arn:aws[a-z-]*:${service}:`), `must be an ARN of ${service}`);

/** Whole seconds from the shortest quiet period to `max`. */
const seconds = (max: number) =>
  z.coerce
    .number()
    .int()
    .min(MIN_QUIET_PERIOD_SECONDS, `must be from ${MIN_QUIET_PERIOD_SECONDS} to ${max} seconds`)
    .max(max, `must be from ${MIN_QUIET_PERIOD_SECONDS} to ${max} seconds`);

const intakeSettingsSchema = z.strictObject({
  quietPeriodSeconds: seconds(MAX_QUIET_PERIOD_SECONDS).default(DEFAULT_QUIET_PERIOD_SECONDS),
  maxQuietPeriodSeconds: seconds(MAX_QUIET_PERIOD_FACTOR * MAX_QUIET_PERIOD_SECONDS).optional(),
  scheduleGroupName: z.string().regex(/^[\w.-]{1,64}$/, 'must be a schedule group name'),
  sweepFunctionArn: arn('lambda'),
  schedulerRoleArn: arn('iam'),
  deadLetterQueueArn: arn('sqs'),
});

export function intakeSettingsFromEnvironment(environment: NodeJS.ProcessEnv): IntakeSettings {
  const variables: Readonly<Record<keyof IntakeSettings, string>> = INTAKE_ENVIRONMENT_VARIABLES;
  return settingsFromEnvironment(intakeSettingsSchema, variables, environment);
}

export type IntakeOutcome =
  | { readonly action: 'scheduled'; readonly scheduleName: string; readonly at: string; readonly moved: boolean }
  | { readonly action: 'left-alone'; readonly reason: string };

/** The schedule of an account-region: one name per account-region, within Scheduler's 64 characters. */
export function quietPeriodScheduleName(accountId: string, region: string): string {
  return `repair-${accountId}-${region}`;
}

/**
 * Why a breaking call does not start a quiet period, or `null` when it does. Pure. A call the
 * guard rail refused (`refused`, protectDefaultPath=enforce) starts one too: the targeted sweep's
 * digest names the clean-up that needs fixing.
 */
export function ignoreReason(config: SweepConfig, event: BreakingEvent, refused = false): string | null {
  const { record } = event;
  if (event.disagreement) return event.disagreement;
  if (record.errorCode && !refused) return `the call failed (${record.errorCode})`;
  if (isJanitorCall(record, config.memberRoleName)) return "the janitor's own call";
  if (!breakingEventNames(breakingCallOptionsFor(config)).includes(record.eventName ?? '')) {
    return `${record.eventName ?? 'the call'} does not break what this configuration repairs`;
  }
  const name = record.eventName ?? '';
  if (refused && isBreakingCall(name) && !guardRailRefuses(BREAKING_CALLS[name])) {
    return `${name} was refused by an SCP that is not the guard rail's (the guard rail never refuses it)`;
  }
  const ignored = ignoredByWhatItNamed(record.eventName ?? '', causeOf(record).touched ?? {});
  if (ignored) return ignored;
  return outsideConfiguredTargets(config, event.accountId, event.region);
}

export interface IntakeDependencies {
  readonly config: SweepConfig;
  readonly settings: IntakeSettings;
  readonly scheduler: SchedulerClient;
  readonly logger: SweepLogger;
  readonly now?: () => Date;
}

/** A breaking call the intake acts on: where, its cause (none when refused), the refusal. */
export interface HeardCall {
  readonly accountId: string;
  readonly region: string;
  readonly cause: Cause | undefined;
  readonly refusal: GuardRailEntry | null;
}

/**
 * What the intake makes of one event: left alone (why), or heard. Throws EventValidationError on
 * what is not an EC2 CloudTrail event. Logs either way.
 */
export function hearBreakingEvent(
  raw: unknown,
  { config, logger }: Pick<IntakeDependencies, 'config' | 'logger'>,
): HeardCall | { readonly action: 'left-alone'; readonly reason: string } {
  const event = parseBreakingEvent(raw);
  const refusal = config.protectDefaultPath === 'enforce' ? refusedByScp(event.record) : null;
  const where = { accountId: event.accountId, region: event.region };
  const reason = ignoreReason(config, event, refusal !== null);
  if (reason) {
    logger.info('breaking call left alone', { ...where, reason, cause: causeOf(event.record) });
    return { action: 'left-alone', reason };
  }
  if (refusal) logger.warn('the guard rail refused a breaking call', { ...where, ...refusal });
  // A refused call broke nothing: it is no cause, it is named.
  return { ...where, cause: refusal ? undefined : causeOf(event.record), refusal };
}

export async function takeBreakingEvent(raw: unknown, dependencies: IntakeDependencies): Promise<IntakeOutcome> {
  const heard = hearBreakingEvent(raw, dependencies);
  if ('action' in heard) return heard;
  const { refusal, ...call } = heard;
  return startQuietPeriod({ ...call, refused: refusal ? [refusal] : [] }, dependencies);
}

/** What one quiet period is started for: the account-region, the cause heard, the calls refused. */
export interface QuietPeriodStart {
  readonly accountId: string;
  readonly region: string;
  readonly cause: Cause | undefined;
  readonly refused: readonly GuardRailEntry[];
}

/**
 * (Re)starts the quiet period of one account-region for what was heard there: its cause (the
 * stronger of it and the schedule's, `strongerCause`) and the refused calls (the latest
 * MAX_REFUSED_CALLS). One Scheduler write (a create, or a read and an update), however many calls.
 */
export async function startQuietPeriod(
  heard: QuietPeriodStart,
  dependencies: IntakeDependencies,
): Promise<IntakeOutcome> {
  const { settings, logger } = dependencies;
  const { accountId, region, cause } = heard;
  const refusals = heard.refused;
  const where = { accountId, region };
  const now = (dependencies.now ?? (() => new Date()))();
  const at = new Date(now.getTime() + settings.quietPeriodSeconds * 1000);
  const maxQuietMs = (settings.maxQuietPeriodSeconds ?? MAX_QUIET_PERIOD_FACTOR * settings.quietPeriodSeconds) * 1000;
  const scheduleName = quietPeriodScheduleName(accountId, region);
  // A quiet period already running keeps its start: the repair comes at most maxQuietPeriod after it.
  const since = (existing: unknown): Date => {
    const earlier = targetedRepairEventSchema.safeParse(existing);
    const started = earlier.success ? Date.parse(earlier.data.detail.quietSince ?? '') : Number.NaN;
    return Number.isNaN(started) || started > now.getTime() ? now : new Date(started);
  };
  const { outcome, at: repairAt } = await scheduleOnce(dependencies.scheduler, {
    groupName: settings.scheduleGroupName,
    name: scheduleName,
    at,
    movedAt: (existing) => new Date(Math.min(at.getTime(), since(existing).getTime() + maxQuietMs)),
    description: `account-janitor: repair ${accountId} ${region} once its breaking calls have been quiet`,
    target: {
      arn: settings.sweepFunctionArn,
      roleArn: settings.schedulerRoleArn,
      input: targetedRepairEvent(accountId, region, cause, now, refusals),
      merge: (existing) => {
        const earlier = targetedRepairEventSchema.safeParse(existing);
        const earlierCause = earlier.success ? earlier.data.detail.cause : undefined;
        const kept = cause && earlierCause ? strongerCause(earlierCause, cause) : (cause ?? earlierCause);
        const refused = [...((earlier.success && earlier.data.detail.refused) || []), ...refusals];
        return targetedRepairEvent(accountId, region, kept, since(existing), refused);
      },
      deadLetterArn: settings.deadLetterQueueArn,
    },
  });
  logger.info('quiet period started', {
    ...where,
    scheduleName,
    repairAt: repairAt.toISOString(),
    moved: outcome === 'moved',
    cause,
  });
  return { action: 'scheduled', scheduleName, at: repairAt.toISOString(), moved: outcome === 'moved' };
}
