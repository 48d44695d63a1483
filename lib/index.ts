/**
 * The package's entry, `import { … } from 'account-janitor'`:
 * - for CDK apps, the `AccountJanitor` construct (it deploys the scheduled sweep function, the
 *   member role StackSet, the notifications topic, the alarms and the dashboard), its parts, and
 *   `sweepConfig`, which validates the sweep settings with the same schema as the CLI, the Lambda
 *   environment and the CDK context of this project's own app;
 * - for clean-up scripts, `restoreAccountDefaults`: one account's default path restored by the
 *   engine, the report as the CLI's `--json`.
 * The constructs are loaded on first use (cdk-entry.ts): importing the package, or calling
 * `restoreAccountDefaults`, loads no aws-cdk-lib or constructs module (from CommonJS; an ES module
 * import reads every export, and so loads them when they are installed: such a script imports
 * `account-janitor/restore`, restore-entry.ts, instead).
 */
import type * as Cdk from './cdk-entry';
import { parseSweepConfig } from '../lambda/config/parse';
import type { SweepConfig, SweepConfigInput } from '../lambda/config/schema';

export * from './restore-entry';
export type { AccountJanitorProps, FanOut, StackSetCallAs } from './account-janitor-props';
export type { SlackChannel, TeamsChannel } from './constructs/chat-channels';
export type { JanitorAlarmsProps } from './constructs/janitor-alarms';
export type { JanitorFunctionProps } from './constructs/janitor-function';
export type { JanitorNotificationsProps } from './constructs/janitor-notifications';
export type { MemberRoleStackSetProps } from './constructs/member-role-stack-set';
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

/*
 * The constructs, loaded on first use. Each is declared with its class's type (value and
 * instance type, as an `export class` gives them), and defined on `exports` by a getter of the
 * form Node's CommonJS named-export detection reads, so ES module imports name them too.
 */
export declare const AccountJanitor: typeof Cdk.AccountJanitor;
export type AccountJanitor = Cdk.AccountJanitor;
export declare const AccountJanitorPropsError: typeof Cdk.AccountJanitorPropsError;
export type AccountJanitorPropsError = Cdk.AccountJanitorPropsError;
export declare const JanitorAlarms: typeof Cdk.JanitorAlarms;
export type JanitorAlarms = Cdk.JanitorAlarms;
export declare const JanitorFunction: typeof Cdk.JanitorFunction;
export type JanitorFunction = Cdk.JanitorFunction;
export declare const JanitorNotifications: typeof Cdk.JanitorNotifications;
export type JanitorNotifications = Cdk.JanitorNotifications;
export declare const MemberRoleStackSet: typeof Cdk.MemberRoleStackSet;
export type MemberRoleStackSet = Cdk.MemberRoleStackSet;

let loaded: typeof Cdk | undefined;
/** The constructs' module, required on the first read of one of them. */
const cdk = new Proxy({} as typeof Cdk, {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the one deferred load
  get: (_, name) => (loaded ??= require('./cdk-entry') as typeof Cdk)[name as keyof typeof Cdk],
});
Object.defineProperty(exports, 'AccountJanitor', {
  enumerable: true,
  get: function () {
    return cdk.AccountJanitor;
  },
});
Object.defineProperty(exports, 'AccountJanitorPropsError', {
  enumerable: true,
  get: function () {
    return cdk.AccountJanitorPropsError;
  },
});
Object.defineProperty(exports, 'JanitorAlarms', {
  enumerable: true,
  get: function () {
    return cdk.JanitorAlarms;
  },
});
Object.defineProperty(exports, 'JanitorFunction', {
  enumerable: true,
  get: function () {
    return cdk.JanitorFunction;
  },
});
Object.defineProperty(exports, 'JanitorNotifications', {
  enumerable: true,
  get: function () {
    return cdk.JanitorNotifications;
  },
});
Object.defineProperty(exports, 'MemberRoleStackSet', {
  enumerable: true,
  get: function () {
    return cdk.MemberRoleStackSet;
  },
});
