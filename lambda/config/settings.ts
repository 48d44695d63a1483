import { z } from 'zod';
import {
  accountIdSchema,
  accountTagSchema,
  booleanFlag,
  CLOUDTRAIL_HISTORY_DAYS,
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_REPAIRS_PER_RUN,
  DEFAULT_MEMBER_ROLE_NAME,
  DEFAULT_READ_ONLY_ROLE_NAME,
  DEFAULT_RESPECT_FOR,
  durationText,
  emptyAsUndefined,
  EXTERNAL_ID_PATTERN,
  integer,
  listOf,
  MAX_CONCURRENCY,
  MAX_MAX_ATTEMPTS,
  MAX_MAX_REPAIRS_PER_RUN,
  MODES,
  oneOf,
  PROTECT_MODES,
  REACH_MODES,
  ORGANIZATION_ID_PATTERN,
  ouIdSchema,
  regionsSchema,
  ROLE_NAME_MESSAGE,
  ROLE_NAME_PATTERN,
  SWITCH_MODES,
  type SwitchMode,
  text,
} from './values';
import { principalSchema } from './principals';

/**
 * Every sweep setting once: its schema (type, bounds, default), the environment variable the
 * functions read it from, the CLI option that sets it, and one line of documentation. The
 * configuration schema (schema.ts), the environment parsing and writing (environment.ts), the
 * CLI's options and error names (cli/cli-program.ts) and the configuration reference
 * (docs/configuration.md, `npm run docs`) are all derived from this table.
 */

/** How the CLI sets a setting. Its help is the setting's `doc`, unless `help` says otherwise. */
export interface CliSpec {
  /** As commander reads it: `--ou <id>`, `--dry-run`, `--no-causes`. */
  readonly flags: string;
  /** Repeatable; each value may also be comma-separated. */
  readonly repeatable?: true;
  readonly choices?: readonly string[];
  /** The help, where the option means something other than the setting's doc says (`--dry-run`). */
  readonly help?: string;
  /** The setting's raw value from the option's, where they differ (`--dry-run` → `mode`). */
  readonly toSetting?: (value: unknown) => unknown;
}

export interface Setting {
  readonly schema: z.ZodType;
  readonly env: string;
  /** `null` where the CLI has no option for it. */
  readonly cli: CliSpec | null;
  /** The default as a person reads it, where the schema's own (parsed from nothing) says too little. */
  readonly shown?: string;
  /** One line of documentation; generated for an alias. */
  readonly doc: string;
  /** An old switch kept as an alias of a mode of a newer one. */
  readonly aliasOf?: readonly [setting: SwitchKey, mode: SwitchMode];
  /** A switch (`off | check | repair`, `off` unless it or one of its aliases says otherwise). */
  readonly switch?: true;
}

const list = (flags: string): CliSpec => ({ flags, repeatable: true });
const flag = (flags: string): CliSpec => ({ flags });
const off = booleanFlag.optional().default(false);
const roleName = (fallback: string) => text(z.string().regex(ROLE_NAME_PATTERN, ROLE_NAME_MESSAGE).default(fallback));
const count = (min: number, max: number, fallback: number) =>
  z.preprocess((value: number | string | undefined) => emptyAsUndefined(value), integer(min, max).default(fallback));
/**
 * A switch: `off`, `check` or `repair`. Its raw value stays unset when not given, so that an alias
 * given beside it can be checked against it; the schema (schema.ts) then resolves every switch to
 * its mode, `off` unless it or an alias says otherwise. The engine reads the mode.
 */
const switchSetting = (env: string, name: string, doc: string) =>
  ({
    schema: text(oneOf(SWITCH_MODES).optional()),
    env,
    cli: { flags: `--${name} <mode>`, choices: SWITCH_MODES },
    shown: '`off`',
    switch: true,
    doc,
  }) as const;
/** The switches that old boolean settings are aliases of. */
type SwitchKey = 'defaultSubnets' | 'egress';
const alias = <const S extends SwitchKey, const M extends Exclude<SwitchMode, 'off'>>(
  env: string,
  flags: string,
  setting: S,
  mode: M,
) => ({ schema: off, env, cli: flag(flags), doc: '', aliasOf: [setting, mode] as const }) as const;

export const SWEEP_SETTINGS = {
  targetOuIds: {
    schema: listOf(ouIdSchema),
    env: 'JANITOR_TARGET_OU_IDS',
    cli: list('--ou <id>'),
    doc: 'OU or root ids: every account below each, through nested OUs',
  },
  accountIds: {
    schema: listOf(accountIdSchema),
    env: 'JANITOR_ACCOUNT_IDS',
    cli: list('--account <id>'),
    doc: 'account ids; the only way to include the management account',
  },
  allAccounts: {
    schema: off,
    env: 'JANITOR_ALL_ACCOUNTS',
    cli: flag('--all-accounts'),
    doc: 'every account of the organization (an explicit opt-in)',
  },
  accountTags: {
    schema: listOf(accountTagSchema),
    env: 'JANITOR_ACCOUNT_TAGS',
    cli: list('--account-tag <key=value>'),
    doc: '`key=value` tags: keep only accounts with all of them (one Organizations request per matched account: past a few thousand accounts, select by OU; see docs/scale.md)',
  },
  excludeAccountIds: {
    schema: listOf(accountIdSchema),
    env: 'JANITOR_EXCLUDE_ACCOUNT_IDS',
    cli: list('--exclude-account <id>'),
    doc: 'accounts never checked',
  },
  regions: {
    schema: regionsSchema,
    env: 'JANITOR_REGIONS',
    cli: list('--region <name>'),
    doc: 'region names, or `all`: each account’s enabled regions',
  },
  memberRoleName: {
    schema: roleName(DEFAULT_MEMBER_ROLE_NAME),
    env: 'JANITOR_MEMBER_ROLE_NAME',
    cli: flag('--role-name <name>'),
    doc: 'the write role in each member account: the functions’, and the CLI’s when it repairs (it trusts the hub and `operatorWritePrincipalArns`)',
  },
  readOnlyRoleName: {
    schema: roleName(DEFAULT_READ_ONLY_ROLE_NAME),
    env: 'JANITOR_READ_ONLY_ROLE_NAME',
    cli: flag('--read-only-role-name <name>'),
    doc: 'the read-only role: the CLI’s with `--dry-run`, and `doctor`’s (it trusts `operatorPrincipalArns`)',
  },
  externalId: {
    schema: text(z.string().regex(EXTERNAL_ID_PATTERN, 'must be 2-1224 letters, digits or +=,.@:/_-').optional()),
    env: 'JANITOR_EXTERNAL_ID',
    cli: flag('--external-id <id>'),
    doc: 'the external id the member roles require',
  },
  mode: {
    schema: text(oneOf(MODES).default('remediate')),
    env: 'JANITOR_MODE',
    cli: {
      flags: '--dry-run',
      help: 'report what would be repaired; make no write call at all',
      toSetting: (dryRun) => (dryRun === true ? 'report' : undefined),
    },
    doc: '`remediate` or `report` (the CLI’s `--dry-run`; report: the write role gets no write permission)',
  },
  concurrency: {
    schema: count(1, MAX_CONCURRENCY, DEFAULT_CONCURRENCY),
    env: 'JANITOR_CONCURRENCY',
    cli: flag('--concurrency <n>'),
    doc: `account-regions checked at once (1–${MAX_CONCURRENCY})`,
  },
  maxAttempts: {
    schema: count(1, MAX_MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS),
    env: 'JANITOR_MAX_ATTEMPTS',
    cli: flag('--max-attempts <n>'),
    doc: 'attempts per AWS request, retries included (SDK adaptive retry mode)',
  },
  maxRepairsPerRun: {
    schema: count(0, MAX_MAX_REPAIRS_PER_RUN, DEFAULT_MAX_REPAIRS_PER_RUN),
    env: 'JANITOR_MAX_REPAIRS_PER_RUN',
    cli: flag('--max-repairs <n>'),
    doc: 'writes one run may make; further drift is reported `would-*`',
  },
  repairInternetGateway: {
    schema: off,
    env: 'JANITOR_REPAIR_INTERNET_GATEWAY',
    cli: flag('--repair-internet-gateway'),
    doc: 'opt-in: a default VPC without a gateway gets a new one (tagged), attached and routed to',
  },
  recreateDefaultVpc: {
    schema: off,
    env: 'JANITOR_RECREATE_DEFAULT_VPC',
    cli: flag('--recreate-default-vpc'),
    doc: 'opt-in: a region without a default VPC gets one again (CreateDefaultVpc), with its gateway and route',
  },
  defaultSubnets: switchSetting(
    'JANITOR_DEFAULT_SUBNETS',
    'default-subnets',
    'opt-in: `check` reports zones without a default subnet and misconfigured ones; `repair` also creates the missing ones',
  ),
  egress: switchSetting(
    'JANITOR_EGRESS',
    'egress',
    'opt-in: `check` reports whether the default security group and network ACL let traffic out; `repair` puts AWS’s default allow back where a clean-up stripped it',
  ),
  checkDefaultSubnets: alias('JANITOR_CHECK_DEFAULT_SUBNETS', '--check-default-subnets', 'defaultSubnets', 'check'),
  repairDefaultSubnets: alias('JANITOR_REPAIR_DEFAULT_SUBNETS', '--repair-default-subnets', 'defaultSubnets', 'repair'),
  checkEgress: alias('JANITOR_CHECK_EGRESS', '--check-egress', 'egress', 'check'),
  repairEgress: alias('JANITOR_REPAIR_EGRESS', '--repair-egress', 'egress', 'repair'),
  reach: {
    schema: text(oneOf(REACH_MODES).default('check')),
    env: 'JANITOR_REACH',
    cli: { flags: '--reach <mode>', choices: REACH_MODES },
    doc: '`check` (the default) reports what keeps the default subnets off the internet with the route in place: VPC Block Public Access, a route that shadows 0.0.0.0/0, a default subnet on another table; `off` skips it. It never writes',
  },
  lookUpCauses: {
    schema: booleanFlag.optional().default(true),
    env: 'JANITOR_LOOK_UP_CAUSES',
    cli: { flags: '--no-causes', help: 'do not look up in CloudTrail who broke each drifted account-region' },
    doc: 'look up who broke each drifted account-region in CloudTrail, paced and capped per run (`--no-causes` turns it off)',
  },
  protectDefaultPath: {
    schema: text(oneOf(PROTECT_MODES).default('off')),
    env: 'JANITOR_PROTECT_DEFAULT_PATH',
    cli: {
      flags: '--protect-default-path',
      help: 'tag the default path account-janitor:protected=true, what the guard rail SCP (protectDefaultPath) keys on; a write, counted in --max-repairs',
      toSetting: (on) => (on === true ? 'audit' : undefined),
    },
    doc: 'the guard rail: `off`, `audit` (tag, name what it would refuse) or `enforce` (also the SCP; stack only)',
  },
  respectPrincipals: {
    schema: listOf(principalSchema('responder')),
    env: 'JANITOR_RESPECT_PRINCIPALS',
    cli: list('--respect-principal <arn-pattern>'),
    doc: 'IAM-style ARN patterns of responders (incident response, break-glass) whose changes are left alone, reported `left-by-responder`: each names its 12-digit account; only the role or session name takes `*` and `?`',
  },
  respectFor: {
    schema: text(
      durationText(
        3_600_000,
        CLOUDTRAIL_HISTORY_DAYS * 86_400_000,
        `must be a duration from 1h to ${CLOUDTRAIL_HISTORY_DAYS}d, such as 7d or 36h`,
      ).default(DEFAULT_RESPECT_FOR),
    ),
    env: 'JANITOR_RESPECT_FOR',
    cli: flag('--respect-for <duration>'),
    doc: `with \`respectPrincipals\`: how long a responder’s change is left before it needs a person again (\`1h\`–\`${CLOUDTRAIL_HISTORY_DAYS}d\`, CloudTrail’s history): past it the row says how long, and \`LeftByResponderOverdue\` (an alarm) counts it; it is still not repaired`,
  },
  organizationId: {
    schema: text(
      z.string().regex(ORGANIZATION_ID_PATTERN, 'must be an organization id such as o-a1b2c3d4e5').optional(),
    ),
    env: 'JANITOR_ORGANIZATION_ID',
    cli: flag('--expect-organization <id>'),
    shown: 'none (the stack reads it at deploy time with the event path)',
    doc: 'the organization the run must find itself in (o-…); another stops it, exit code 2, before any account is entered',
  },
} as const satisfies Record<string, Setting>;

export type SettingKey = keyof typeof SWEEP_SETTINGS;

type Settings = typeof SWEEP_SETTINGS;
/** The switches (`off | check | repair`): the settings made with `switchSetting`. */
export type SwitchSettingKey = { [K in SettingKey]: Settings[K] extends { switch: true } ? K : never }[SettingKey];
/** The old booleans kept as aliases of a switch's mode. */
export type AliasSettingKey = { [K in SettingKey]: Settings[K] extends { aliasOf: unknown } ? K : never }[SettingKey];

// Every switch an alias names is a switch of the table.
const aliasesNameSwitches: SwitchKey extends SwitchSettingKey ? true : never = true;
void aliasesNameSwitches;

/** A setting's documentation line: its own, or the alias's. */
export function docOf(setting: Setting): string {
  return setting.aliasOf ? `alias of \`${setting.aliasOf[0]}=${setting.aliasOf[1]}\`` : setting.doc;
}

/** A setting's default as a person reads it: its `shown`, or what its schema makes of nothing. */
export function shownDefault(setting: Pick<Setting, 'schema' | 'shown'>): string {
  if (setting.shown !== undefined) return setting.shown;
  const parsed = setting.schema.safeParse(undefined);
  const value: unknown = parsed.success ? parsed.data : undefined;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return `\`${String(value)}\``;
  return 'none';
}
