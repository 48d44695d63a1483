import type { DEPLOYMENT_KEYS } from './config';

/**
 * The deployment settings (CDK context only, lib/config.ts) once each, as a person reads them: the
 * default and one line. With the sweep settings (lambda/config/settings.ts) they make the
 * configuration reference, docs/configuration.md (`npm run docs`); the compiler asks for an entry
 * for every key of the deployment schema.
 */

type DeploymentKey = (typeof DEPLOYMENT_KEYS)[number];

export const DEPLOYMENT_SETTINGS = {
  schedule: { shown: '`cron(0 3 * * ? *)`', doc: 'EventBridge Scheduler expression of the nightly run' },
  timeZone: { shown: '`UTC`', doc: 'IANA time zone of the schedule' },
  notificationEmails: { shown: 'none', doc: 'e-mail addresses for the alarms and the run digest' },
  deployMemberRole: { shown: '`true`', doc: 'deploy the member roles with a service-managed StackSet' },
  memberRoleTargetOuIds: { shown: '`targetOuIds`', doc: 'OUs (or the root `r-…`) that get the member roles' },
  memberRoleBeyondTargets: {
    shown: '`false`',
    doc: 'allow `memberRoleTargetOuIds` beyond `targetOuIds` in remediate mode (otherwise synth refuses)',
  },
  operatorPrincipalArns: {
    shown: 'none',
    doc: 'roles the read-only member role trusts: operators who run `doctor` or the CLI with `--dry-run`',
  },
  guardRailExemptPrincipalArns: {
    shown: 'none',
    doc: 'with `protectDefaultPath=enforce`: principals the SCP lets through besides the janitor’s write role',
  },
  operatorWritePrincipalArns: {
    shown: 'none',
    doc: 'roles the write member role trusts too (never as the janitor’s session): operators who repair with the CLI',
  },
  eventDrivenRepair: {
    shown: '`true`',
    doc: 'repair within minutes of a breaking call (the hub’s bus, the intake, the forwarder StackSet)',
  },
  eventProbe: {
    shown: '`false`',
    doc: 'let `doctor --probe` make its throwaway breaking call (route tables tagged `account-janitor:probe` only)',
  },
  intakeConcurrency: {
    shown: '`5`',
    doc: 'the event intake’s reserved concurrency: what a flood of breaking calls may take',
  },
  intakeLogRetention: { shown: '`90`', doc: 'days the intake’s logs (callers’ source IPs and user agents) are kept' },
  quietPeriod: {
    shown: '`5m`',
    doc: 'how long an account-region must be free of breaking calls before its repair (`1m`–`24h`)',
  },
  maxQuietPeriod: {
    shown: '4 × `quietPeriod`',
    doc: 'the longest a stream of breaking calls may put a repair off, from the first call (`quietPeriod`–`96h`)',
  },
  eventRegions: {
    shown: 'the regions enabled by default in the partition',
    doc: 'with `regions: all`, where breaking calls are forwarded from',
  },
  fanOut: { shown: '`single`', doc: '`single` (one function) or `distributed` (Step Functions)' },
  batchSize: { shown: '`100`', doc: 'with `distributed`: accounts per batch (1–1000)' },
  maxBatchesInFlight: { shown: '`20`', doc: 'with `distributed`: batches at once' },
  stackSetCallAs: {
    shown: '`SELF`',
    doc: '`SELF` (from the management account) or `DELEGATED_ADMIN` (from a StackSets delegated administrator)',
  },
} as const satisfies Record<DeploymentKey, { readonly shown: string; readonly doc: string }>;
