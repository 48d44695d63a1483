/**
 * account-janitor as a library for CDK apps: `import { AccountJanitor, sweepConfig } from 'account-janitor'`.
 * The construct deploys the scheduled sweep function, the member role StackSet, the notifications
 * topic, the alarms and the dashboard; `sweepConfig` validates the sweep settings with the same
 * schema as the CLI, the Lambda environment and the CDK context of this project's own app.
 */
import { parseSweepConfig } from '../lambda/config/parse';
import type { SweepConfig, SweepConfigInput } from '../lambda/config/schema';

export { AccountJanitor, type AccountJanitorProps } from './account-janitor';
export { JanitorAlarms, type JanitorAlarmsProps } from './constructs/janitor-alarms';
export { JanitorFunction, type JanitorFunctionProps } from './constructs/janitor-function';
export { JanitorNotifications, type JanitorNotificationsProps } from './constructs/janitor-notifications';
export { MemberRoleStackSet, type MemberRoleStackSetProps } from './constructs/member-role-stack-set';
export { memberRoleTemplate, type MemberRoleConfig } from './member-role-template';
export type { Mode, SweepConfig, SweepConfigInput } from '../lambda/config/schema';
export { ConfigError, type InputProblem } from '../lambda/errors';

/**
 * The sweep settings, validated: throws a `ConfigError` naming each bad key, its value and what
 * is allowed. Keys and values as in the README's table (lists as arrays or comma-separated).
 */
export function sweepConfig(settings: SweepConfigInput): SweepConfig {
  return parseSweepConfig(settings, 'invalid account-janitor settings', (key) => key);
}
