import { partition } from '@aws-sdk/core/client';
import { z } from 'zod';
import { PROTECT_MODES } from '../core/plan-protection';

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

export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
export const ORGANIZATION_ID_PATTERN = /^o-[a-z0-9]{10,32}$/;
export const OU_ID_PATTERN = /^(ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$/;
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ROLE_NAME_PATTERN = /^[\w+=,.@-]{1,64}$/;
const EXTERNAL_ID_PATTERN = /^[\w+=,.@:/-]{2,1224}$/;
/** An IAM role or user ARN, or an STS session ARN, with `*` and `?` allowed in the account and the name. */
const PRINCIPAL_PATTERN = /^arn:(aws[a-z-]*|\*):(iam|sts)::(\d{12}|\*):(role|user|assumed-role)\/[\w+=,.@/*?-]{1,512}$/;
const TAG_PATTERN = /^([^=]{1,128})=(.{0,256})$/s;

/** Splits comma-separated strings and flattens lists; anything else is left for zod to reject. */
function splitList(value: unknown): unknown {
  if (value === undefined || value === null) return [];
  const items: unknown[] = Array.isArray(value) ? (value as unknown[]) : [value];
  return items.flatMap((item) =>
    typeof item === 'string'
      ? item
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part.length > 0)
      : [item],
  );
}

export function listOf<T extends z.ZodType>(item: T) {
  return z.preprocess(splitList, z.array(item));
}

export const booleanFlag = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value;
    const text = value.trim().toLowerCase();
    if (text === '') return undefined;
    return text === 'true' ? true : text === 'false' ? false : value;
  },
  z.boolean({ error: 'must be true or false' }),
);

/** A whole number from `min` to `max`, given as a number or as text (`-c key=50`, an environment variable). */
export const integer = (min: number, max: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' && /^\s*[-+]?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value),
    z
      .number({ error: `must be a whole number from ${min} to ${max}` })
      .int(`must be a whole number from ${min} to ${max}`)
      .min(min, `must be a whole number from ${min} to ${max}`)
      .max(max, `must be a whole number from ${min} to ${max}`),
  );

const emptyAsUndefined = (value: unknown) => (value === '' || value === null ? undefined : value);

export const accountIdSchema = z.string().regex(ACCOUNT_ID_PATTERN, 'must be a 12-digit AWS account id');
export const ouIdSchema = z
  .string()
  .regex(OU_ID_PATTERN, 'must be an OU id (ou-xxxx-xxxxxxxx) or an organization root id (r-xxxx)');
/**
 * A region the AWS SDK knows (its partition data names it). A region newer than the SDK needs an
 * upgrade of account-janitor, or `regions: all`, which asks each account.
 */
export function isKnownRegion(region: string): boolean {
  return REGION_PATTERN.test(region) && 'description' in partition(region);
}

const UNKNOWN_REGION = 'is not an AWS region this version knows (e.g. eu-west-1); for newer regions use "all"';

export const regionSchema = z
  .string()
  .regex(REGION_PATTERN, 'must be a region name such as eu-west-1')
  .refine(isKnownRegion, UNKNOWN_REGION);

const accountTagSchema = z
  .string()
  .regex(TAG_PATTERN, 'must be key=value')
  .transform((text) => {
    const separator = text.indexOf('=');
    return { key: text.slice(0, separator), value: text.slice(separator + 1) };
  });

/** `all`, or a list of region names. */
export const regionsSchema = listOf(z.string()).transform((regions, context): string[] | 'all' => {
  if (regions.length === 0 || (regions.length === 1 && regions[0] === 'all')) return 'all';
  regions.forEach((region, index) => {
    if (region === 'all') {
      context.addIssue({
        code: 'custom',
        path: [index],
        input: region,
        message: '"all" cannot be combined with region names',
      });
    } else if (!REGION_PATTERN.test(region)) {
      context.addIssue({
        code: 'custom',
        path: [index],
        input: region,
        message: 'must be a region name such as eu-west-1, or "all"',
      });
    } else if (!isKnownRegion(region)) {
      context.addIssue({ code: 'custom', path: [index], input: region, message: UNKNOWN_REGION });
    }
  });
  return [...new Set(regions)];
});

export const sweepConfigSchema = z
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
     * Principals whose changes are deliberate (incident response, break-glass): a drift whose
     * cause is one of them is reported `left-by-responder` and not repaired. IAM-style ARN
     * patterns (`*`, `?`) matched against the caller's role ARN and its session ARN.
     */
    /**
     * The guard rail (prevention): `audit` and `enforce` tag the default path's resources
     * account-janitor:protected=true (a write, counted in the cap), and report the breaking calls
     * on tagged resources the guard rail's SCP would refuse; `enforce` also deploys the SCP (stack).
     */
    protectDefaultPath: z.preprocess(
      emptyAsUndefined,
      z.enum(PROTECT_MODES, { error: `must be one of: ${PROTECT_MODES.join(', ')}` }).default('off'),
    ),
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
  .strict()
  .superRefine((config, context) => {
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
export const CONFIG_KEYS = Object.keys(sweepConfigSchema.shape) as ConfigKey[];

/** True when the run reads the default subnets: either subnet switch is on. */
export function checksDefaultSubnets(config: Pick<SweepConfig, 'checkDefaultSubnets' | 'repairDefaultSubnets'>) {
  return config.checkDefaultSubnets || config.repairDefaultSubnets;
}

/** True when the run reads the default security group and network ACL: either egress switch is on. */
export function checksEgress(config: Pick<SweepConfig, 'checkEgress' | 'repairEgress'>) {
  return config.checkEgress || config.repairEgress;
}
