import { z } from 'zod';
import { toProblems } from './config/parse';
import { accountIdSchema, regionSchema, type SweepConfig } from './config/schema';
import { EventValidationError, type InputProblem } from './errors';
import type { SweepScope } from './sweep';

/**
 * The two events the function accepts. A scheduled event (an EventBridge rule's, or the input the
 * stack's EventBridge Scheduler schedule sends: source "aws.scheduler") runs the configured sweep.
 * A manual event, typed in the Lambda console, may only narrow it:
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
  readonly trigger: 'schedule' | 'manual';
  readonly event: ManualEvent;
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
export function applyRequest(config: SweepConfig, request: SweepRequest): { config: SweepConfig; scope: SweepScope } {
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
