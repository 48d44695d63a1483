import { z } from 'zod';
import { accountIdSchema, regionSchema, type SweepConfig } from '../config/schema';
import { MAX_CAUSE_TEXT, type Cause } from '../core/who-broke-it';
import type { GuardRailEntry } from '../core/plan-protection';
import { MAX_ENCODED_MESSAGE } from '../core/policy-denial';

/**
 * The event that starts an event-driven repair: one account-region whose breaking calls have gone
 * quiet, and the latest of them (who broke it). The intake puts it in the one-time schedule it
 * keeps per account-region; the schedule hands it to the sweep function when the quiet period
 * ends. The same schema builds it and checks it, so the two functions cannot drift apart. A person
 * may send it from the Lambda console too: it is validated like any other event.
 */

export const TARGETED_REPAIR_SOURCE = 'account-janitor';
export const TARGETED_REPAIR_DETAIL_TYPE = 'Quiet Period Ended';

const text = z.string().min(1).max(MAX_CAUSE_TEXT);

export const causeSchema = z.strictObject({
  principalArn: text,
  sessionIssuerArn: text.nullable(),
  eventName: z.string().regex(/^[A-Za-z]{1,64}$/, 'must be an API call name such as DeleteRoute'),
  eventTime: z.iso.datetime({ message: 'must be an ISO 8601 time such as 2026-11-26T02:13:07Z' }),
  sourceIp: text.nullable(),
  userAgent: text.nullable(),
  touched: z.record(z.string().max(64), z.string().max(256)).optional(),
});

/** Refused calls one schedule carries at most (the latest): the digest names a clean-up, not every call. */
export const MAX_REFUSED_CALLS = 5;

const isoTime = z.iso.datetime({ message: 'must be an ISO 8601 time such as 2026-11-26T02:13:07Z' });

/**
 * A breaking call the guard rail refused (protectDefaultPath=enforce): named by an SCP in clear, or
 * with EC2's encoded message for the targeted sweep to decode.
 */
export const refusedCallSchema = z.strictObject({
  principalArn: text,
  eventName: z.string().regex(/^[A-Za-z]{1,64}$/, 'must be an API call name such as DeleteRoute'),
  eventTime: isoTime,
  resourceId: z.string().min(1).max(256),
  encodedMessage: z
    .string()
    .regex(/^[A-Za-z0-9_\-+/=]+$/, 'must be an encoded authorization message')
    .max(MAX_ENCODED_MESSAGE)
    .optional(),
});

export const targetedRepairEventSchema = z.strictObject({
  source: z.literal(TARGETED_REPAIR_SOURCE),
  'detail-type': z.literal(TARGETED_REPAIR_DETAIL_TYPE),
  detail: z
    .strictObject({
      accountId: accountIdSchema,
      region: regionSchema,
      /** The breaking call that went through (absent when the guard rail refused every call of the quiet period). */
      cause: causeSchema.optional(),
      /** The calls the guard rail refused in this quiet period, latest last: a clean-up that needs fixing. */
      refused: z.array(refusedCallSchema).min(1).max(MAX_REFUSED_CALLS).optional(),
      /** When the first breaking call of this quiet period came: the repair waits at most maxQuietPeriod after it. */
      quietSince: isoTime.optional(),
    })
    .refine((detail) => detail.cause !== undefined || detail.refused !== undefined, {
      message: 'must carry the breaking call (cause) or the refused calls (refused)',
    }),
});
export type TargetedRepairEvent = z.infer<typeof targetedRepairEventSchema>;

export function targetedRepairEvent(
  accountId: string,
  region: string,
  cause: Cause | undefined,
  quietSince?: Date,
  refused: readonly GuardRailEntry[] = [],
): TargetedRepairEvent {
  return {
    source: TARGETED_REPAIR_SOURCE,
    'detail-type': TARGETED_REPAIR_DETAIL_TYPE,
    detail: {
      accountId,
      region,
      ...(cause ? { cause } : {}),
      ...(refused.length > 0 ? { refused: refused.slice(-MAX_REFUSED_CALLS) } : {}),
      ...(quietSince ? { quietSince: quietSince.toISOString() } : {}),
    },
  };
}

export function isTargetedRepairEvent(event: unknown): event is Record<string, unknown> {
  if (typeof event !== 'object' || event === null) return false;
  const record = event as Record<string, unknown>;
  return record['source'] === TARGETED_REPAIR_SOURCE && record['detail-type'] === TARGETED_REPAIR_DETAIL_TYPE;
}

/**
 * Why an account-region is none of the janitor's business, as far as the configuration alone can
 * tell (no AWS call): an excluded account, an account not named when only accounts are named, a
 * region not configured. `null` when it may be a target; OU membership, tags, suspension and the
 * management account are checked by the sweep's own discovery.
 */
export function outsideConfiguredTargets(config: SweepConfig, accountId: string, region: string): string | null {
  if (config.excludeAccountIds.includes(accountId)) return 'account excluded by the configuration';
  const onlyNamedAccounts = config.targetOuIds.length === 0 && !config.allAccounts;
  if (onlyNamedAccounts && !config.accountIds.includes(accountId)) return 'account not among the targets';
  if (config.regions !== 'all' && !config.regions.includes(region)) return 'region not configured';
  return null;
}
