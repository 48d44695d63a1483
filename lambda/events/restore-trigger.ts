import { z } from 'zod';
import { accountIdSchema, regionSchema, type SweepConfig } from '../config/schema';
import {
  CONTROL_TOWER_EVENT_NAMES,
  INNOVATION_SANDBOX_DETAIL_TYPE,
  INNOVATION_SANDBOX_SOURCE,
  RESTORE_EVENT_DETAIL_TYPE,
  RESTORE_EVENT_SOURCE,
  RESTORE_TRIGGER_DEFINITIONS,
  RESTORE_TRIGGERS,
  restoreTriggerOf,
  type RestoreTrigger,
} from '../core/restore-triggers';
import { TARGETED_REPAIR_SOURCE } from './targeted-repair';

/**
 * What a restore trigger (lambda/core/restore-triggers.ts) asks, decided without an AWS call: the
 * account to restore, or why the event is dropped. Every event is someone else's input (a member
 * admin, a clean-up tool, whoever may put events on a bus): only the fields read are checked, each
 * before it names anything, and the account must be one the configuration can target. Whether it
 * is a target now (below a target OU, not suspended, not the management account) is the sweep's
 * discovery's word, at run time; a move is restored when its account is a target after it.
 */

/** A restore names at most this many regions (AWS has fewer than 40). */
export const MAX_RESTORE_REGIONS = 50;

const managedAccountStatus = z.object({
  state: z.string(),
  account: z.object({ accountId: accountIdSchema }),
});

/** The fields each trigger's event must carry; the envelope's source and detail-type chose it. */
const TRIGGER_SCHEMAS = {
  'control-tower': z.object({
    account: accountIdSchema,
    detail: z.object({
      eventName: z.enum(CONTROL_TOWER_EVENT_NAMES),
      serviceEventDetails: z.object({
        createManagedAccountStatus: managedAccountStatus.optional(),
        updateManagedAccountStatus: managedAccountStatus.optional(),
      }),
    }),
  }),
  'account-moved': z.object({
    account: accountIdSchema,
    detail: z.object({
      eventSource: z.literal('organizations.amazonaws.com'),
      eventName: z.literal('MoveAccount'),
      errorCode: z.never({ error: 'must be absent: the move failed' }).optional(),
      requestParameters: z.object({
        accountId: accountIdSchema,
        sourceParentId: z.string().max(128).optional(),
        destinationParentId: z.string().max(128),
      }),
    }),
  }),
  'innovation-sandbox': z.object({
    account: accountIdSchema,
    source: z.literal(INNOVATION_SANDBOX_SOURCE),
    'detail-type': z.literal(INNOVATION_SANDBOX_DETAIL_TYPE),
    detail: z.object({ accountId: accountIdSchema }),
  }),
  event: z.object({
    source: z.literal(RESTORE_EVENT_SOURCE),
    'detail-type': z.literal(RESTORE_EVENT_DETAIL_TYPE),
    detail: z.strictObject({
      accountId: accountIdSchema,
      regions: z
        .array(regionSchema, { error: 'must be a list of region names' })
        .min(1, 'must not be empty')
        .max(MAX_RESTORE_REGIONS, `must name at most ${MAX_RESTORE_REGIONS} regions`)
        .optional(),
    }),
  }),
} as const satisfies Record<RestoreTrigger, z.ZodType>;

export type RestoreDecision =
  | {
      readonly action: 'restore';
      readonly trigger: RestoreTrigger;
      readonly accountId: string;
      readonly regions?: readonly string[];
    }
  | {
      readonly action: 'dropped';
      readonly trigger?: RestoreTrigger;
      readonly accountId?: string;
      readonly reason: string;
    };

export interface RestoreTriggerContext {
  readonly config: SweepConfig;
  /** The triggers the deployment switched on (restoreOn). */
  readonly restoreOn: readonly RestoreTrigger[];
  /** The organization's management account: an `aws.` lifecycle event must come from it. */
  readonly managementAccountId: string;
  /** The account of Innovation Sandbox's bus (innovationSandboxEventBusArn): its clean-up events come from it. */
  readonly innovationSandboxAccountId?: string | undefined;
}

/** The account a restore trigger asks for, or why it is dropped. Pure. */
export function decideRestore(event: unknown, context: RestoreTriggerContext): RestoreDecision {
  const trigger = restoreTriggerOf(event);
  if (!trigger) return { action: 'dropped', reason: 'not a restore trigger (its source and detail-type name none)' };
  if (!context.restoreOn.includes(trigger)) {
    return { action: 'dropped', trigger, reason: `the ${trigger} trigger is not in restoreOn` };
  }
  const parsed = readTrigger(trigger, event);
  if ('problem' in parsed) return { action: 'dropped', trigger, reason: parsed.problem };
  const { accountId, regions, from } = parsed;
  const dropped = (reason: string): RestoreDecision => ({ action: 'dropped', trigger, accountId, reason });
  if (RESTORE_TRIGGER_DEFINITIONS[trigger].fromManagementAccount && from !== context.managementAccountId) {
    return dropped(`it came from ${from ?? 'no account'}, not the management account`);
  }
  if (accountId === context.managementAccountId && !context.config.accountIds.includes(accountId)) {
    return dropped('the management account (a target only when named in accountIds)');
  }
  const isb = context.innovationSandboxAccountId;
  if (trigger === 'innovation-sandbox' && isb !== undefined && from !== isb) {
    return dropped(`it came from ${from ?? 'no account'}, not Innovation Sandbox's account ${isb}`);
  }
  const outside = outsideConfiguredAccounts(context.config, accountId);
  if (outside) return dropped(outside);
  const { config } = context;
  if (regions && config.regions !== 'all') {
    const configured = config.regions;
    const unconfigured = regions.filter((region) => !configured.includes(region));
    if (unconfigured.length > 0) return dropped(`regions not configured: ${unconfigured.join(', ')}`);
  }
  return { action: 'restore', trigger, accountId, ...(regions ? { regions: [...new Set(regions)] } : {}) };
}

type ReadTrigger = { accountId: string; regions?: readonly string[]; from?: string } | { problem: string };

function readTrigger(trigger: RestoreTrigger, event: unknown): ReadTrigger {
  const result = TRIGGER_SCHEMAS[trigger].safeParse(event);
  if (!result.success) {
    const [issue] = result.error.issues;
    return { problem: `invalid ${trigger} event: ${issue?.path.join('.') || 'event'} ${issue?.message ?? ''}`.trim() };
  }
  switch (trigger) {
    case 'control-tower': {
      const { account, detail } = TRIGGER_SCHEMAS['control-tower'].parse(event);
      const status =
        detail.eventName === 'CreateManagedAccount'
          ? detail.serviceEventDetails.createManagedAccountStatus
          : detail.serviceEventDetails.updateManagedAccountStatus;
      if (!status) return { problem: `invalid control-tower event: ${detail.eventName} carries no status` };
      if (status.state !== 'SUCCEEDED') return { problem: `${detail.eventName} did not succeed (${status.state})` };
      return { accountId: status.account.accountId, from: account };
    }
    case 'account-moved': {
      const { account, detail } = TRIGGER_SCHEMAS['account-moved'].parse(event);
      return { accountId: detail.requestParameters.accountId, from: account };
    }
    case 'innovation-sandbox': {
      const { account, detail } = TRIGGER_SCHEMAS['innovation-sandbox'].parse(event);
      return { accountId: detail.accountId, from: account };
    }
    case 'event': {
      const { detail } = TRIGGER_SCHEMAS.event.parse(event);
      return { accountId: detail.accountId, ...(detail.regions ? { regions: detail.regions } : {}) };
    }
  }
}

/**
 * Why an account is none of the janitor's business as far as the configuration alone can tell:
 * excluded, or not named when only accounts are named. `null` when it may be a target.
 */
export function outsideConfiguredAccounts(config: SweepConfig, accountId: string): string | null {
  if (config.excludeAccountIds.includes(accountId)) return 'account excluded by the configuration';
  const onlyNamedAccounts = config.targetOuIds.length === 0 && !config.allAccounts;
  if (onlyNamedAccounts && !config.accountIds.includes(accountId)) return 'account not among the targets';
  return null;
}

/**
 * The event the restore's one-time schedule hands the sweep function: one account, its regions (all
 * the configured ones when absent), the trigger that started it. Built and checked with one schema.
 */
export const RESTORE_RUN_DETAIL_TYPE = 'Restore Triggered';

export const restoreRunEventSchema = z.strictObject({
  source: z.literal(TARGETED_REPAIR_SOURCE),
  'detail-type': z.literal(RESTORE_RUN_DETAIL_TYPE),
  detail: z.strictObject({
    accountId: accountIdSchema,
    trigger: z.enum(RESTORE_TRIGGERS, { error: `must be one of: ${RESTORE_TRIGGERS.join(', ')}` }),
    regions: z.array(regionSchema).min(1).max(MAX_RESTORE_REGIONS).optional(),
    triggeredAt: z.iso.datetime({ message: 'must be an ISO 8601 time such as 2026-11-26T02:13:07Z' }),
  }),
});
export type RestoreRunEvent = z.infer<typeof restoreRunEventSchema>;

export function restoreRunEvent(
  decision: Extract<RestoreDecision, { action: 'restore' }>,
  triggeredAt: Date,
): RestoreRunEvent {
  return {
    source: TARGETED_REPAIR_SOURCE,
    'detail-type': RESTORE_RUN_DETAIL_TYPE,
    detail: {
      accountId: decision.accountId,
      trigger: decision.trigger,
      ...(decision.regions ? { regions: [...decision.regions] } : {}),
      triggeredAt: triggeredAt.toISOString(),
    },
  };
}

export function isRestoreRunEvent(event: unknown): event is Record<string, unknown> {
  if (typeof event !== 'object' || event === null) return false;
  const record = event as Record<string, unknown>;
  return record['source'] === TARGETED_REPAIR_SOURCE && record['detail-type'] === RESTORE_RUN_DETAIL_TYPE;
}
