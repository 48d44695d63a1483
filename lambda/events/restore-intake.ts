import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import { z } from 'zod';
import { createScheduleOnce } from '../aws/scheduler';
import { settingsFromEnvironment } from '../config/environment';
import { accountIdSchema, listOf } from '../config/values';
import {
  RESTORE_ENVIRONMENT_VARIABLES,
  RESTORE_SCHEDULE_PREFIX,
  RESTORE_WAIT_SECONDS,
} from '../contract/restore-names';
import { RESTORE_TRIGGERS, type RestoreTrigger } from '../core/restore-triggers';
import type { SweepLogger } from '../sweep';
import { decideRestore, restoreRunEvent, type RestoreTriggerContext } from './restore-trigger';

/**
 * The restore triggers' intake: each event the hub's bus routes here (restoreOn) is decided
 * (restore-trigger.ts) and, for a configured target, becomes the account's one-time schedule,
 * `restore-<account>`, which hands the sweep function a restore of that account a minute later.
 * A trigger for an account whose restore already waits joins it. Nothing else is written.
 */

export interface RestoreSettings {
  readonly restoreOn: readonly RestoreTrigger[];
  readonly scheduleGroupName: string;
  readonly sweepFunctionArn: string;
  readonly schedulerRoleArn: string;
  readonly deadLetterQueueArn: string;
  /** The account of Innovation Sandbox's bus, with restoreOn innovation-sandbox. */
  readonly innovationSandboxAccountId?: string | undefined;
}

const arn = (service: string) =>
  z.string().regex(new RegExp(`^arn:aws[a-z-]*:${service}:`), `must be an ARN of ${service}`);

const restoreSettingsSchema = z.strictObject({
  restoreOn: listOf(z.enum(RESTORE_TRIGGERS, { error: `must be one of: ${RESTORE_TRIGGERS.join(', ')}` })),
  scheduleGroupName: z.string().regex(/^[\w.-]{1,64}$/, 'must be a schedule group name'),
  sweepFunctionArn: arn('lambda'),
  schedulerRoleArn: arn('iam'),
  deadLetterQueueArn: arn('sqs'),
  innovationSandboxAccountId: accountIdSchema.optional(),
});

export function restoreSettingsFromEnvironment(environment: NodeJS.ProcessEnv): RestoreSettings {
  const variables: Readonly<Record<keyof RestoreSettings, string>> = RESTORE_ENVIRONMENT_VARIABLES;
  return settingsFromEnvironment(restoreSettingsSchema, variables, environment);
}

export function restoreScheduleName(accountId: string): string {
  return `${RESTORE_SCHEDULE_PREFIX}${accountId}`;
}

export type RestoreOutcome =
  | {
      readonly action: 'scheduled' | 'joined';
      readonly trigger: RestoreTrigger;
      readonly accountId: string;
      readonly scheduleName: string;
    }
  | { readonly action: 'dropped'; readonly reason: string };

export interface RestoreIntakeDependencies extends Omit<RestoreTriggerContext, 'restoreOn' | 'managementAccountId'> {
  readonly settings: RestoreSettings;
  readonly scheduler: SchedulerClient;
  readonly logger: SweepLogger;
  /** The management account, read once (DescribeOrganization): an `aws.` lifecycle event must come from it. */
  readonly managementAccountId: () => Promise<string>;
  readonly now?: () => Date;
}

export async function takeRestoreTrigger(
  raw: unknown,
  dependencies: RestoreIntakeDependencies,
): Promise<RestoreOutcome> {
  const { config, settings, logger } = dependencies;
  const decision = decideRestore(raw, {
    config,
    restoreOn: settings.restoreOn,
    managementAccountId: await dependencies.managementAccountId(),
    innovationSandboxAccountId: settings.innovationSandboxAccountId,
  });
  if (decision.action === 'dropped') {
    const { reason, trigger, accountId } = decision;
    logger.info('restore trigger dropped', { trigger, accountId, reason });
    return { action: 'dropped', reason };
  }
  const now = (dependencies.now ?? (() => new Date()))();
  const scheduleName = restoreScheduleName(decision.accountId);
  // Created once, never moved: one account's triggers within the wait run once (`pending`).
  const outcome = await createScheduleOnce(dependencies.scheduler, {
    groupName: settings.scheduleGroupName,
    name: scheduleName,
    at: new Date(now.getTime() + RESTORE_WAIT_SECONDS * 1000),
    description: `account-janitor: restore ${decision.accountId} (${decision.trigger})`,
    target: {
      arn: settings.sweepFunctionArn,
      roleArn: settings.schedulerRoleArn,
      input: restoreRunEvent(decision, now),
      deadLetterArn: settings.deadLetterQueueArn,
    },
  });
  const action = outcome === 'created' ? 'scheduled' : 'joined';
  logger.info(action === 'scheduled' ? 'restore scheduled' : 'restore already waiting: trigger joined it', {
    trigger: decision.trigger,
    accountId: decision.accountId,
    regions: decision.regions,
    scheduleName,
  });
  return { action, trigger: decision.trigger, accountId: decision.accountId, scheduleName };
}
