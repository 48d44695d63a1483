/**
 * account-janitor as a library for CDK apps: `import { AccountJanitor, sweepConfig } from 'account-janitor'`.
 * The construct deploys the scheduled sweep function, the member role StackSet, the notifications
 * topic, the alarms and the dashboard; `sweepConfig` validates the sweep settings with the same
 * schema as the CLI, the Lambda environment and the CDK context of this project's own app.
 */
import { parseSweepConfig } from '../lambda/config/parse';
import type { SweepConfig, SweepConfigInput } from '../lambda/config/schema';

export { AccountJanitor } from './account-janitor';
export type { AccountJanitorProps, FanOut, StackSetCallAs } from './account-janitor-props';
export { AccountJanitorPropsError } from './account-janitor-rules';
export type { SlackChannel, TeamsChannel } from './constructs/chat-channels';
export { JanitorAlarms, type JanitorAlarmsProps } from './constructs/janitor-alarms';
export { JanitorFunction, type JanitorFunctionProps } from './constructs/janitor-function';
export { JanitorNotifications, type JanitorNotificationsProps } from './constructs/janitor-notifications';
export { MemberRoleStackSet, type MemberRoleStackSetProps } from './constructs/member-role-stack-set';
export { memberRoleTemplate, type MemberRoleConfig } from './member-role-template';
export type { Mode, SweepConfig, SweepConfigInput } from '../lambda/config/schema';
export { ConfigError, type InputProblem } from '../lambda/errors';
/** The props' defaults, as their `@default` names them. */
export {
  DEFAULT_INTAKE_CONCURRENCY,
  DEFAULT_INTAKE_LOG_RETENTION_DAYS,
  DEFAULT_MAX_BATCHES_IN_FLIGHT,
  DEFAULT_SCHEDULE,
  DEFAULT_TIME_ZONE,
} from './deployment-settings';
export {
  DEFAULT_BATCH_SIZE,
  DEFAULT_HEARTBEAT_HOURS,
  DEFAULT_QUIET_PERIOD_SECONDS,
  MAX_QUIET_PERIOD_FACTOR,
} from '../lambda/contract/names';
export { STACK_NAME_PATTERN } from '../lambda/contract/stack-outputs';
export { RESTORE_TRIGGERS, type RestoreTrigger } from '../lambda/core/restore-triggers';
export { DEFAULT_EVENT_REGIONS_BY_PARTITION } from './config';

/**
 * The sweep settings, validated: throws a `ConfigError` naming each bad key, its value and what
 * is allowed. Keys and values as in the README's table (lists as arrays or comma-separated).
 */
export function sweepConfig(settings: SweepConfigInput): SweepConfig {
  return parseSweepConfig(settings, 'invalid account-janitor settings', (key) => key);
}
