import { z } from 'zod';
import { PROTECT_MODES } from '../core/plan-protection';
import {
  accountIdSchema,
  accountTagSchema,
  booleanFlag,
  emptyAsUndefined,
  EXTERNAL_ID_PATTERN,
  integer,
  listOf,
  ORGANIZATION_ID_PATTERN,
  ouIdSchema,
  PRINCIPAL_PATTERN,
  regionsSchema,
  ROLE_NAME_PATTERN,
} from './values';

export {
  ACCOUNT_ID_PATTERN,
  accountIdSchema,
  booleanFlag,
  integer,
  isKnownRegion,
  listOf,
  ORGANIZATION_ID_PATTERN,
  OU_ID_PATTERN,
  ouIdSchema,
  REGION_PATTERN,
  regionSchema,
  regionsSchema,
} from './values';

/**
 * The one configuration schema of a sweep. The CLI (options), the Lambda handler (environment
 * variables) and the CDK stack (context) all parse their raw values with it, so a value means the
 * same thing, and fails with the same message, whichever door it came through.
 *
 * Raw values may be strings (environment, `-c key=value`), lists of strings (repeatable CLI
 * options, cdk.json) or native types; lists may also be comma-separated.
 */

export const DEFAULT_MEMBER_ROLE_NAME = 'AccountJanitorMemberRole';
/** The member role operators, `doctor` and `--dry-run` assume: it reads, never writes the default network. */
export const DEFAULT_READ_ONLY_ROLE_NAME = 'AccountJanitorReadOnlyRole';
export const DEFAULT_CONCURRENCY = 128;
export const MAX_CONCURRENCY = 256;
/** Attempts per AWS request, the first included (SDK adaptive retry mode). */
export const DEFAULT_MAX_ATTEMPTS = 6;
export const MAX_MAX_ATTEMPTS = 20;
/** Writes one run may make at most: a misfire never rewrites hundreds of route tables in a night. */
export const DEFAULT_MAX_REPAIRS_PER_RUN = 50;
export const MAX_MAX_REPAIRS_PER_RUN = 100_000;
export const MODES = ['remediate', 'report'] as const;
export type Mode = (typeof MODES)[number];

/** A check-and-repair switch in one setting. */
export const SWITCH_MODES = ['off', 'check', 'repair'] as const;
export type SwitchMode = (typeof SWITCH_MODES)[number];

const sweepConfigObject = z
  .object({
    targetOuIds: listOf(ouIdSchema),
    accountIds: listOf(accountIdSchema),
    allAccounts: booleanFlag.optional().default(false),
    accountTags: listOf(accountTagSchema),
    excludeAccountIds: listOf(accountIdSchema),
    regions: regionsSchema,
    memberRoleName: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(ROLE_NAME_PATTERN, 'must be an IAM role name: 1-64 letters, digits or +=,.@_-')
        .default(DEFAULT_MEMBER_ROLE_NAME),
    ),
    readOnlyRoleName: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(ROLE_NAME_PATTERN, 'must be an IAM role name: 1-64 letters, digits or +=,.@_-')
        .default(DEFAULT_READ_ONLY_ROLE_NAME),
    ),
    externalId: z.preprocess(
      emptyAsUndefined,
      z.string().regex(EXTERNAL_ID_PATTERN, 'must be 2-1224 letters, digits or +=,.@:/_-').optional(),
    ),
    mode: z.preprocess(
      emptyAsUndefined,
      z.enum(MODES, { error: `must be one of: ${MODES.join(', ')}` }).default('remediate'),
    ),
    concurrency: z.preprocess(emptyAsUndefined, integer(1, MAX_CONCURRENCY).default(DEFAULT_CONCURRENCY)),
    maxAttempts: z.preprocess(emptyAsUndefined, integer(1, MAX_MAX_ATTEMPTS).default(DEFAULT_MAX_ATTEMPTS)),
    maxRepairsPerRun: z.preprocess(
      emptyAsUndefined,
      integer(0, MAX_MAX_REPAIRS_PER_RUN).default(DEFAULT_MAX_REPAIRS_PER_RUN),
    ),
    /** Opt-in: a default VPC with no internet gateway gets a new one, attached, and its route. */
    repairInternetGateway: booleanFlag.optional().default(false),
    /** Opt-in: a region with no default VPC gets one again (CreateDefaultVpc), with its gateway and route. */
    recreateDefaultVpc: booleanFlag.optional().default(false),
    /**
     * The default subnets: `off`, `check` (report zones without one, and misconfigured ones) or
     * `repair` (create the missing ones; implies the check). checkDefaultSubnets and
     * repairDefaultSubnets are its aliases.
     */
    defaultSubnets: z.preprocess(
      emptyAsUndefined,
      z.enum(SWITCH_MODES, { error: `must be one of: ${SWITCH_MODES.join(', ')}` }).optional(),
    ),
    /**
     * The default security group's and network ACL's egress: `off`, `check` or `repair` (implies
     * the check). checkEgress and repairEgress are its aliases.
     */
    egress: z.preprocess(
      emptyAsUndefined,
      z.enum(SWITCH_MODES, { error: `must be one of: ${SWITCH_MODES.join(', ')}` }).optional(),
    ),
    /**
     * Opt-in: also read the default subnets (two more describes per account-region, same round
     * trip) and report zones without one, and default subnets that break tasks with public IPs.
     */
    checkDefaultSubnets: booleanFlag.optional().default(false),
    /** Opt-in: a zone of the default VPC without a default subnet gets one (CreateDefaultSubnet); implies the check. */
    repairDefaultSubnets: booleanFlag.optional().default(false),
    /**
     * Opt-in: also read the default VPC's default security group and default network ACL (two more
     * describes per account-region, same round trip) and report whether they let traffic out.
     */
    checkEgress: booleanFlag.optional().default(false),
    /**
     * Opt-in: a default security group with no egress rule, or a default ACL direction with nothing
     * but its final deny, gets AWS's default allow back; implies the check.
     */
    repairEgress: booleanFlag.optional().default(false),
    /**
     * Who broke it: look up the breaking call of each drifted account-region in CloudTrail
     * (LookupEvents in that account and region, paced and capped per run). On by default.
     */
    lookUpCauses: booleanFlag.optional().default(true),
    /**
     * The guard rail (prevention): `audit` and `enforce` tag the default path's resources
     * account-janitor:protected=true (a write, counted in the cap), and report the breaking calls
     * on tagged resources the guard rail's SCP would refuse; `enforce` also deploys the SCP (stack).
     */
    protectDefaultPath: z.preprocess(
      emptyAsUndefined,
      z.enum(PROTECT_MODES, { error: `must be one of: ${PROTECT_MODES.join(', ')}` }).default('off'),
    ),
    /**
     * Principals whose changes are deliberate (incident response, break-glass): a drift whose
     * cause is one of them is reported `left-by-responder` and not repaired. IAM-style ARN
     * patterns (`*`, `?`) matched against the caller's role ARN and its session ARN.
     */
    respectPrincipals: listOf(
      z
        .string()
        .regex(
          PRINCIPAL_PATTERN,
          'must be an IAM role or STS session ARN pattern such as arn:aws:iam::*:role/IncidentResponse* (wildcards * and ?)',
        ),
    ),
    /**
     * The organization the run must find itself in (DescribeOrganization); another one stops the
     * run before any account is entered. Optional.
     */
    organizationId: z.preprocess(
      emptyAsUndefined,
      z.string().regex(ORGANIZATION_ID_PATTERN, 'must be an organization id such as o-a1b2c3d4e5').optional(),
    ),
  })
  .strict();

/** The mode two alias switches give: `repair` when the repair one is on, `check` when the check one is. */
const modeOf = (check: boolean, repair: boolean): SwitchMode => (repair ? 'repair' : check ? 'check' : 'off');

export const sweepConfigSchema = sweepConfigObject
  .superRefine((config, context) => {
    // A switch and its aliases, both given, must say the same.
    for (const [key, check, repair] of [
      ['defaultSubnets', 'checkDefaultSubnets', 'repairDefaultSubnets'],
      ['egress', 'checkEgress', 'repairEgress'],
    ] as const) {
      const mode = config[key];
      const aliased = modeOf(config[check], config[repair]);
      if (mode !== undefined && aliased !== 'off' && mode !== aliased) {
        context.addIssue({
          code: 'custom',
          path: [key],
          input: mode,
          message: `disagrees with ${check}/${repair} (its aliases, which say ${aliased}): give one or the other`,
        });
      }
    }
    if (config.targetOuIds.length === 0 && config.accountIds.length === 0 && !config.allAccounts) {
      context.addIssue({
        code: 'custom',
        path: [],
        input: undefined,
        params: { noTargets: true },
        message:
          'no target accounts: name OUs (targetOuIds), accounts (accountIds) or opt in to every account (allAccounts)',
      });
    }
    if (config.respectPrincipals.length > 0 && !config.lookUpCauses) {
      context.addIssue({
        code: 'custom',
        path: ['respectPrincipals'],
        input: config.respectPrincipals.join(','),
        message:
          "needs lookUpCauses: the nightly sweep learns from CloudTrail who made a change (lookUpCauses=false would undo a responder's change)",
      });
    }
  })
  .transform((config) => {
    // The engine reads the aliases' booleans; each switch says its mode.
    const defaultSubnets = config.defaultSubnets ?? modeOf(config.checkDefaultSubnets, config.repairDefaultSubnets);
    const egress = config.egress ?? modeOf(config.checkEgress, config.repairEgress);
    return {
      ...config,
      defaultSubnets,
      egress,
      checkDefaultSubnets: config.checkDefaultSubnets || defaultSubnets === 'check',
      repairDefaultSubnets: config.repairDefaultSubnets || defaultSubnets === 'repair',
      checkEgress: config.checkEgress || egress === 'check',
      repairEgress: config.repairEgress || egress === 'repair',
    };
  });

/** Raw values as the doors supply them: strings, lists of strings (comma-separated or not), native types. */
export interface SweepConfigInput {
  readonly targetOuIds?: string | readonly string[] | undefined;
  readonly accountIds?: string | readonly string[] | undefined;
  readonly allAccounts?: boolean | string | undefined;
  readonly accountTags?: string | readonly string[] | undefined;
  readonly excludeAccountIds?: string | readonly string[] | undefined;
  readonly regions?: string | readonly string[] | undefined;
  readonly memberRoleName?: string | undefined;
  readonly readOnlyRoleName?: string | undefined;
  readonly externalId?: string | undefined;
  readonly mode?: string | undefined;
  readonly concurrency?: number | string | undefined;
  readonly maxAttempts?: number | string | undefined;
  readonly maxRepairsPerRun?: number | string | undefined;
  readonly repairInternetGateway?: boolean | string | undefined;
  readonly recreateDefaultVpc?: boolean | string | undefined;
  readonly defaultSubnets?: string | undefined;
  readonly egress?: string | undefined;
  readonly checkDefaultSubnets?: boolean | string | undefined;
  readonly repairDefaultSubnets?: boolean | string | undefined;
  readonly checkEgress?: boolean | string | undefined;
  readonly repairEgress?: boolean | string | undefined;
  readonly organizationId?: string | undefined;
  readonly lookUpCauses?: boolean | string | undefined;
  readonly protectDefaultPath?: string | undefined;
  readonly respectPrincipals?: string | readonly string[] | undefined;
}
export type SweepConfig = z.output<typeof sweepConfigSchema>;
export type ConfigKey = keyof z.output<typeof sweepConfigSchema>;
export type AccountTag = SweepConfig['accountTags'][number];

/** The configuration keys, in the order they are documented. */
export const CONFIG_KEYS = Object.keys(sweepConfigObject.shape) as ConfigKey[];

/** True when the run reads the default subnets: either subnet switch is on. */
export function checksDefaultSubnets(config: Pick<SweepConfig, 'checkDefaultSubnets' | 'repairDefaultSubnets'>) {
  return config.checkDefaultSubnets || config.repairDefaultSubnets;
}

/** True when the run reads the default security group and network ACL: either egress switch is on. */
export function checksEgress(config: Pick<SweepConfig, 'checkEgress' | 'repairEgress'>) {
  return config.checkEgress || config.repairEgress;
}
