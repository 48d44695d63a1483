import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { toProblems } from '../config/parse';
import {
  accountIdSchema,
  CONFIG_KEYS,
  regionSchema,
  sweepConfigSchema,
  type SweepConfig,
  type SweepConfigInput,
} from '../config/schema';
import type { SettingKey } from '../config/settings';
import { RestoreOptionsError, type InputProblem } from '../errors';
import type { SweepLogger } from '../sweep/types';

/**
 * The options of `restoreAccountDefaults`, checked before any AWS call: the account, how to enter
 * it, and the sweep settings of the settings table (lambda/config/settings.ts), parsed with the
 * one configuration schema. What selects accounts or checks the organization is not an option
 * (the call names its one account), and `dryRun` stands for `mode`, as the CLI's `--dry-run`.
 */

const NOT_OPTIONS = [
  'targetOuIds',
  'accountIds',
  'allAccounts',
  'accountTags',
  'excludeAccountIds',
  'organizationId',
  'mode',
] as const satisfies readonly SettingKey[];

/** The sweep settings the call takes, each as in the settings table (`regions` aside: required here). */
export type RestoreSettings = Omit<SweepConfigInput, (typeof NOT_OPTIONS)[number] | 'regions'>;

export interface RestoreAccountDefaultsOptions extends RestoreSettings {
  /** The account to restore (12 digits). */
  readonly accountId: string;
  /** Its regions: names (a list, or comma-separated), or `'all'`: the account's enabled regions. */
  readonly regions: NonNullable<SweepConfigInput['regions']>;
  /** Report what would be repaired, write nothing (the CLI's `--dry-run`). */
  readonly dryRun?: boolean;
  /**
   * The credentials to call AWS with: the account's own, or, with `assumeRole`, a principal the
   * member role trusts. Default: the SDK's credential chain (AWS_PROFILE, environment, SSO…).
   */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /**
   * Enter the account through the janitor's member role, as the CLI does (`memberRoleName`, or
   * `readOnlyRoleName` with `dryRun`; `externalId`). Default false: the credentials are the
   * account's own, and the call checks that they are (GetCallerIdentity) before anything else.
   */
  readonly assumeRole?: boolean;
  /** Where STS is called, and DescribeRegions with `regions: 'all'`. Default AWS_REGION, else us-east-1. */
  readonly homeRegion?: string;
  /** Start no new work after this moment: what was not started is reported `not-checked`. */
  readonly deadline?: Date;
  /** The engine's log lines (e.g. `console`). Default: none. */
  readonly logger?: SweepLogger;
}

/** The options, checked: what the run needs. */
export interface RestoreRequest {
  readonly accountId: string;
  readonly config: SweepConfig;
  readonly homeRegion: string;
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined;
  readonly assumeRole: boolean;
  readonly deadline: Date | undefined;
  readonly logger: SweepLogger | undefined;
}

type OwnKey = Exclude<keyof RestoreAccountDefaultsOptions, keyof RestoreSettings>;
const OWN_KEYS: Record<OwnKey, true> = {
  accountId: true,
  regions: true,
  dryRun: true,
  credentials: true,
  assumeRole: true,
  homeRegion: true,
  deadline: true,
  logger: true,
};
const SETTING_KEYS = CONFIG_KEYS.filter((key) => !(NOT_OPTIONS as readonly string[]).includes(key));
const ALLOWED = [...new Set([...Object.keys(OWN_KEYS), ...SETTING_KEYS])];
const SOURCE = 'invalid restoreAccountDefaults options';

/** Throws one RestoreOptionsError naming every bad option, its value and what is allowed. */
export function parseRestoreOptions(options: unknown, environment: NodeJS.ProcessEnv): RestoreRequest {
  if (typeof options !== 'object' || options === null) {
    throw new RestoreOptionsError(SOURCE, [
      { field: '', message: 'options must be an object with accountId and regions' },
    ]);
  }
  const given = options as Record<string, unknown>;
  const problems: InputProblem[] = Object.keys(given)
    .filter((key) => !ALLOWED.includes(key))
    .map((key) => ({ field: key, message: `is not an option (allowed: ${ALLOWED.join(', ')})` }));

  const accountId = accountIdSchema.safeParse(given['accountId']);
  if (!accountId.success) problems.push(problem('accountId', given['accountId'], 'must be a 12-digit AWS account id'));
  if (given['regions'] === undefined) problems.push({ field: 'regions', message: "required: region names, or 'all'" });
  for (const key of ['dryRun', 'assumeRole'] as const) {
    if (given[key] !== undefined && typeof given[key] !== 'boolean') {
      problems.push(problem(key, given[key], 'must be true or false'));
    }
  }
  const homeRegion =
    given['homeRegion'] ?? environment['AWS_REGION'] ?? environment['AWS_DEFAULT_REGION'] ?? 'us-east-1';
  const region = regionSchema.safeParse(homeRegion);
  if (!region.success) problems.push(problem('homeRegion', homeRegion, region.error.issues[0]?.message ?? ''));
  const deadline = given['deadline'];
  if (deadline !== undefined && !(deadline instanceof Date && !Number.isNaN(deadline.getTime()))) {
    problems.push(problem('deadline', deadline, 'must be a Date'));
  }
  const credentials = given['credentials'];
  if (credentials !== undefined && typeof credentials !== 'object' && typeof credentials !== 'function') {
    problems.push({
      field: 'credentials',
      message: 'must be credentials ({ accessKeyId, secretAccessKey }) or a provider',
    });
  }
  if (given['logger'] !== undefined && !isLogger(given['logger'])) {
    problems.push({ field: 'logger', message: 'must have info, warn and error methods (console has)' });
  }

  const settings = Object.fromEntries(SETTING_KEYS.flatMap((key) => (key in given ? [[key, given[key]]] : [])));
  const raw = {
    ...settings,
    accountIds: accountId.success ? [accountId.data] : [],
    mode: given['dryRun'] === true ? 'report' : 'remediate',
  };
  const parsed = sweepConfigSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    // A bad accountId is named above; the schema's "no target accounts" would say it again.
    const issues = parsed.error.issues.filter((issue) => !(issue.code === 'custom' && issue.params?.['noTargets']));
    problems.push(...toProblems(issues, (key) => (key === 'mode' ? 'dryRun' : key)));
  }
  if (problems.length > 0 || !parsed.success || !accountId.success || !region.success)
    throw new RestoreOptionsError(SOURCE, problems);
  return {
    accountId: accountId.data,
    config: parsed.data,
    homeRegion: region.data,
    credentials: credentials as RestoreRequest['credentials'],
    assumeRole: given['assumeRole'] === true,
    deadline: deadline as Date | undefined,
    logger: given['logger'] as SweepLogger | undefined,
  };
}

function problem(field: string, value: unknown, message: string): InputProblem {
  return { field, value, message };
}

function isLogger(value: unknown): value is SweepLogger {
  if (typeof value !== 'object' || value === null) return false;
  const logger = value as Record<string, unknown>;
  return ['info', 'warn', 'error'].every((method) => typeof logger[method] === 'function');
}
