import { z } from 'zod';
import { toProblems } from './config/parse';
import { accountIdSchema, regionSchema, type SweepConfig } from './config/schema';
import { EventValidationError, type InputProblem } from './errors';
import type { Cause } from './core/who-broke-it';
import type { GuardRailEntry } from './core/plan-protection';
import {
  isTargetedRepairEvent,
  outsideConfiguredTargets,
  TARGETED_REPAIR_DETAIL_TYPE,
  TARGETED_REPAIR_SOURCE,
  targetedRepairEventSchema,
} from './events/targeted-repair';
import type { SweepScope } from './sweep';
import type { RestoreTrigger } from './core/restore-triggers';
import {
  isRestoreRunEvent,
  outsideConfiguredAccounts,
  RESTORE_RUN_DETAIL_TYPE,
  restoreRunEventSchema,
} from './events/restore-trigger';

/**
 * The three events the function accepts. A scheduled event (an EventBridge rule's, or the input the
 * stack's EventBridge Scheduler schedule sends: source "aws.scheduler") runs the configured sweep.
 * A targeted repair (source "account-janitor", from the one-time schedule the event intake keeps
 * per account-region) sweeps that one account-region and carries who broke it. A manual event,
 * typed in the Lambda console, may only narrow the configured sweep:
 *   { "dryRun"?: boolean, "accountIds"?: string[], "regions"?: string[] }
 * (`{}` runs the configured sweep too.) Anything else is rejected before any AWS call.
 */

/** A manual event names at most this many accounts: more is a job for the configured selectors. */
export const MAX_EVENT_ACCOUNT_IDS = 1000;
/** A manual event names at most this many regions (AWS has fewer than 40). */
export const MAX_EVENT_REGIONS = 50;

export const manualEventSchema = z.strictObject({
  dryRun: z.boolean({ error: 'must be true or false' }).optional(),
  accountIds: z
    .array(accountIdSchema, { error: 'must be a list of account ids' })
    .min(1, 'must not be empty')
    .max(MAX_EVENT_ACCOUNT_IDS, `must name at most ${MAX_EVENT_ACCOUNT_IDS} accounts`)
    .optional(),
  regions: z
    .array(regionSchema, { error: 'must be a list of region names' })
    .min(1, 'must not be empty')
    .max(MAX_EVENT_REGIONS, `must name at most ${MAX_EVENT_REGIONS} regions`)
    .optional(),
});
export type ManualEvent = z.infer<typeof manualEventSchema>;

export interface SweepRequest {
  readonly trigger: 'schedule' | 'manual' | 'event' | 'restore';
  readonly event: ManualEvent;
  /** A targeted repair: the breaking call that started it. */
  readonly cause?: Cause | undefined;
  /** A targeted repair: the calls the guard rail refused in its quiet period. */
  readonly refused?: readonly GuardRailEntry[] | undefined;
  /** A restore: the trigger that started it (restoreOn). */
  readonly restoredOn?: RestoreTrigger | undefined;
}

const MANUAL_FIELDS = Object.keys(manualEventSchema.shape);

/**
 * The fields a scheduled event may carry: an EventBridge rule's envelope, or the stack's Scheduler
 * input (source, detail-type, time). Anything else (`dryRun`, say) is refused rather than ignored:
 * a scheduled event runs the configured sweep as it is.
 */
const SCHEDULED_EVENT_FIELDS = new Set([
  'version',
  'id',
  'detail-type',
  'source',
  'account',
  'time',
  'region',
  'resources',
  'detail',
]);

export function parseInvocationEvent(event: unknown): SweepRequest {
  if (isRestoreRunEvent(event)) return parseRestoreRun(event);
  if (isTargetedRepairEvent(event)) {
    const result = targetedRepairEventSchema.safeParse(event, { reportInput: true });
    if (!result.success) {
      throw new EventValidationError(
        `invalid targeted repair (source ${TARGETED_REPAIR_SOURCE}, detail-type ${TARGETED_REPAIR_DETAIL_TYPE})`,
        toProblems(result.error.issues, (key) => key),
      );
    }
    const { accountId, region, cause, refused } = result.data.detail;
    return { trigger: 'event', event: { accountIds: [accountId], regions: [region] }, cause, refused };
  }
  if (isScheduledEvent(event)) {
    const extra = Object.keys(event).filter((key) => !SCHEDULED_EVENT_FIELDS.has(key));
    const detail = event['detail'];
    const detailCarriesSomething =
      detail !== undefined && (typeof detail !== 'object' || detail === null || Object.keys(detail).length > 0);
    if (detailCarriesSomething) extra.push('detail');
    if (extra.length > 0) {
      throw new EventValidationError(
        'invalid scheduled event',
        extra.map((field) => ({
          field,
          message: `${field === 'detail' ? 'must be empty in' : 'is not a field of'} a scheduled event, which runs the configured sweep as it is (to narrow a run, send a manual event without source and detail-type)`,
        })),
      );
    }
    return { trigger: 'schedule', event: {} };
  }
  const result = manualEventSchema.safeParse(event ?? {}, { reportInput: true });
  if (result.success) return { trigger: 'manual', event: result.data };
  throw new EventValidationError(
    'invalid event',
    toProblems(result.error.issues, (key) => key).map((problem) =>
      problem.message.startsWith('is not a known setting')
        ? { ...problem, message: `is not a known field (allowed: ${MANUAL_FIELDS.join(', ')})` }
        : problem.field === ''
          ? { ...problem, message: `must be a JSON object with fields ${MANUAL_FIELDS.join(', ')}` }
          : problem,
    ),
  );
}

/** A restore (restoreOn): one account, its regions or all the configured ones, the trigger named. */
function parseRestoreRun(event: unknown): SweepRequest {
  const result = restoreRunEventSchema.safeParse(event, { reportInput: true });
  if (!result.success) {
    throw new EventValidationError(
      `invalid restore (source ${TARGETED_REPAIR_SOURCE}, detail-type ${RESTORE_RUN_DETAIL_TYPE})`,
      toProblems(result.error.issues, (key) => key),
    );
  }
  const { accountId, regions, trigger } = result.data.detail;
  return {
    trigger: 'restore',
    event: { accountIds: [accountId], ...(regions ? { regions } : {}) },
    restoredOn: trigger,
  };
}

function isScheduledEvent(event: unknown): event is Record<string, unknown> {
  if (typeof event !== 'object' || event === null) return false;
  const record = event as Record<string, unknown>;
  const source = record['source'];
  return (source === 'aws.events' || source === 'aws.scheduler') && record['detail-type'] === 'Scheduled Event';
}

/**
 * The configuration and scope of the sweep a request asks for. It can only narrow the configured
 * one: fewer accounts, fewer regions, report instead of remediate. Throws before any AWS call for
 * what can be checked without one; accounts below configured OUs are checked after discovery.
 */
export function applyRequest(
  config: SweepConfig,
  request: SweepRequest,
): { config: SweepConfig; scope: SweepScope; leftAlone?: string } {
  if (request.trigger === 'event') return applyTargetedRepair(config, request);
  if (request.trigger === 'restore') return applyRestore(config, request);
  const { dryRun, accountIds, regions } = request.event;
  const problems: InputProblem[] = [];
  if (dryRun === false && config.mode === 'report') {
    problems.push({
      field: 'dryRun',
      value: false,
      message: 'the function is configured in report mode; an event cannot make it write',
    });
  }
  if (regions && config.regions !== 'all') {
    const configured = config.regions;
    const outside = regions.filter((region) => !configured.includes(region));
    if (outside.length > 0) {
      problems.push({
        field: 'regions',
        value: outside.join(','),
        message: `not configured (configured: ${configured.join(', ')})`,
      });
    }
  }
  if (accountIds) {
    const excluded = accountIds.filter((id) => config.excludeAccountIds.includes(id));
    const onlyNamedAccounts = config.targetOuIds.length === 0 && !config.allAccounts;
    const unnamed = onlyNamedAccounts ? accountIds.filter((id) => !config.accountIds.includes(id)) : [];
    if (excluded.length > 0) {
      problems.push({ field: 'accountIds', value: excluded.join(','), message: 'excluded by the configuration' });
    }
    if (unnamed.length > 0) {
      problems.push({
        field: 'accountIds',
        value: unnamed.join(','),
        message: `not configured (configured: ${config.accountIds.join(', ')})`,
      });
    }
  }
  if (problems.length > 0)
    throw new EventValidationError('event asks for more than the configuration allows', problems);
  return {
    config: dryRun === true ? { ...config, mode: 'report' } : config,
    scope: { accountIds: accountIds ? [...new Set(accountIds)] : undefined, regions },
  };
}

/**
 * A targeted repair runs the configuration as it is (mode, switches, cap, ignore tag) on one
 * account-region. One outside the targets is not an error (anyone in the organization can break
 * a route): it is left alone, with the reason; so is one the discovery finds outside them.
 */
function applyTargetedRepair(config: SweepConfig, request: SweepRequest) {
  const accountId = request.event.accountIds?.[0] ?? '';
  const region = request.event.regions?.[0] ?? '';
  const scope: SweepScope = {
    accountIds: [accountId],
    regions: [region],
    cause: request.cause,
    refused: request.refused,
    outsideTargets: 'leave-alone',
  };
  const leftAlone = outsideConfiguredTargets(config, accountId, region);
  return leftAlone ? { config, scope, leftAlone } : { config, scope };
}

/**
 * A restore runs the configuration as it is (mode, switches, cap, ignore tag, the guard rail's
 * tags) on one account, in the regions it names or every configured one, at once. An account the
 * configuration (or, at run time, the discovery) does not target is left alone, with the reason.
 */
function applyRestore(config: SweepConfig, request: SweepRequest) {
  const accountId = request.event.accountIds?.[0] ?? '';
  const regions = request.event.regions;
  const scope: SweepScope = { accountIds: [accountId], regions, outsideTargets: 'leave-alone' };
  const configured = config.regions;
  const unconfigured = regions && configured !== 'all' ? regions.filter((region) => !configured.includes(region)) : [];
  const leftAlone =
    outsideConfiguredAccounts(config, accountId) ??
    (unconfigured.length > 0 ? `regions not configured: ${unconfigured.join(', ')}` : null);
  return leftAlone ? { config, scope, leftAlone } : { config, scope };
}
