import type { ConfigKey } from './schema';

/**
 * Every sweep setting once, beside its schema (schema.ts): the environment variable the functions
 * read it from, the CLI option that sets it (as typed), its default as a person reads it, and one
 * line of documentation. The environment table, the CLI's error names and the configuration
 * reference (docs/configuration.md, `npm run docs`) are derived from it; the compiler asks for an
 * entry for every key of the schema.
 */

export interface SettingDoc {
  readonly env: string;
  /** The CLI option as typed; `null` where the CLI has none. */
  readonly cli: string | null;
  /** The default, as a person reads it. */
  readonly shown: string;
  readonly doc: string;
}

export const SWEEP_SETTINGS = {
  targetOuIds: {
    env: 'JANITOR_TARGET_OU_IDS',
    cli: '--ou',
    shown: 'none',
    doc: 'OU or root ids: every account below each, through nested OUs',
  },
  accountIds: {
    env: 'JANITOR_ACCOUNT_IDS',
    cli: '--account',
    shown: 'none',
    doc: 'account ids; the only way to include the management account',
  },
  allAccounts: {
    env: 'JANITOR_ALL_ACCOUNTS',
    cli: '--all-accounts',
    shown: '`false`',
    doc: 'every account of the organization (an explicit opt-in)',
  },
  accountTags: {
    env: 'JANITOR_ACCOUNT_TAGS',
    cli: '--account-tag',
    shown: 'none',
    doc: '`key=value` tags: keep only accounts with all of them',
  },
  excludeAccountIds: {
    env: 'JANITOR_EXCLUDE_ACCOUNT_IDS',
    cli: '--exclude-account',
    shown: 'none',
    doc: 'accounts never checked',
  },
  regions: {
    env: 'JANITOR_REGIONS',
    cli: '--region',
    shown: '`all`',
    doc: 'region names, or `all`: each account’s enabled regions',
  },
  memberRoleName: {
    env: 'JANITOR_MEMBER_ROLE_NAME',
    cli: '--role-name',
    shown: '`AccountJanitorMemberRole`',
    doc: 'the write role in each member account: the functions’, and the CLI’s when it repairs',
  },
  readOnlyRoleName: {
    env: 'JANITOR_READ_ONLY_ROLE_NAME',
    cli: '--read-only-role-name',
    shown: '`AccountJanitorReadOnlyRole`',
    doc: 'the read-only role: the CLI’s with `--dry-run`, and `doctor`’s',
  },
  externalId: {
    env: 'JANITOR_EXTERNAL_ID',
    cli: '--external-id',
    shown: 'none',
    doc: 'the external id the member roles require',
  },
  mode: {
    env: 'JANITOR_MODE',
    cli: '--dry-run',
    shown: '`remediate`',
    doc: '`remediate` or `report` (the CLI’s `--dry-run`; report: the write role gets no write permission)',
  },
  concurrency: {
    env: 'JANITOR_CONCURRENCY',
    cli: '--concurrency',
    shown: '128',
    doc: 'account-regions at once (1–256)',
  },
  maxAttempts: {
    env: 'JANITOR_MAX_ATTEMPTS',
    cli: '--max-attempts',
    shown: '6',
    doc: 'attempts per AWS request (SDK adaptive retry mode)',
  },
  maxRepairsPerRun: {
    env: 'JANITOR_MAX_REPAIRS_PER_RUN',
    cli: '--max-repairs',
    shown: '50',
    doc: 'writes one run may make; further drift is reported `would-*`',
  },
  repairInternetGateway: {
    env: 'JANITOR_REPAIR_INTERNET_GATEWAY',
    cli: '--repair-internet-gateway',
    shown: '`false`',
    doc: 'opt-in: a default VPC without a gateway gets a new one, attached and routed to',
  },
  recreateDefaultVpc: {
    env: 'JANITOR_RECREATE_DEFAULT_VPC',
    cli: '--recreate-default-vpc',
    shown: '`false`',
    doc: 'opt-in: a region without a default VPC gets one again',
  },
  defaultSubnets: {
    env: 'JANITOR_DEFAULT_SUBNETS',
    cli: '--default-subnets',
    shown: '`off`',
    doc: 'opt-in: `check` reports zones without a default subnet and misconfigured ones; `repair` also creates the missing ones',
  },
  egress: {
    env: 'JANITOR_EGRESS',
    cli: '--egress',
    shown: '`off`',
    doc: 'opt-in: `check` reports whether the default security group and network ACL let traffic out; `repair` puts AWS’s default allow back where a clean-up stripped it',
  },
  checkDefaultSubnets: {
    env: 'JANITOR_CHECK_DEFAULT_SUBNETS',
    cli: '--check-default-subnets',
    shown: '`false`',
    doc: 'alias of `defaultSubnets=check`',
  },
  repairDefaultSubnets: {
    env: 'JANITOR_REPAIR_DEFAULT_SUBNETS',
    cli: '--repair-default-subnets',
    shown: '`false`',
    doc: 'alias of `defaultSubnets=repair`',
  },
  checkEgress: {
    env: 'JANITOR_CHECK_EGRESS',
    cli: '--check-egress',
    shown: '`false`',
    doc: 'alias of `egress=check`',
  },
  repairEgress: {
    env: 'JANITOR_REPAIR_EGRESS',
    cli: '--repair-egress',
    shown: '`false`',
    doc: 'alias of `egress=repair`',
  },
  organizationId: {
    env: 'JANITOR_ORGANIZATION_ID',
    cli: '--expect-organization',
    shown: 'none (the stack reads it at deploy time with the event path)',
    doc: 'the organization the run must find itself in; another stops it before any account is entered',
  },
  lookUpCauses: {
    env: 'JANITOR_LOOK_UP_CAUSES',
    cli: '--no-causes',
    shown: '`true`',
    doc: 'look up who broke each drifted account-region in CloudTrail (`--no-causes` turns it off)',
  },
  protectDefaultPath: {
    env: 'JANITOR_PROTECT_DEFAULT_PATH',
    cli: '--protect-default-path',
    shown: '`off`',
    doc: 'the guard rail: `off`, `audit` (tag, name what it would refuse) or `enforce` (also the SCP; stack only)',
  },
  respectPrincipals: {
    env: 'JANITOR_RESPECT_PRINCIPALS',
    cli: '--respect-principal',
    shown: 'none',
    doc: 'ARN patterns of responders whose changes are left alone (`left-by-responder`)',
  },
} as const satisfies Record<ConfigKey, SettingDoc>;
