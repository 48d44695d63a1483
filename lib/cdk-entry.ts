/**
 * What the package exports that needs aws-cdk-lib: the constructs and the props' error. The
 * package's entry (index.ts) loads this module on the first use of one of them, so a script that
 * only calls `restoreAccountDefaults` never loads the CDK.
 */
export { AccountJanitor } from './account-janitor';
export { AccountJanitorPropsError } from './account-janitor-rules';
export { JanitorAlarms } from './constructs/janitor-alarms';
export { JanitorFunction } from './constructs/janitor-function';
export { JanitorNotifications } from './constructs/janitor-notifications';
export { MemberRoleStackSet } from './constructs/member-role-stack-set';
