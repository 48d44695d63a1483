import { partition } from '@aws-sdk/core/client';
import { z } from 'zod';
import { parseDuration } from '../core/duration';

/**
 * The value schemas the settings are made of: ids, regions, lists, flags, bounds, and the defaults
 * and bounds that are not a setting's own. Each preprocess names the raw input it takes (a string
 * from the environment or `-c key=value`, a list from a repeatable option or cdk.json, a native
 * value from a CDK app), which `SweepConfigInput` is derived from.
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
/**
 * How far back CloudTrail's event history goes (LookupEvents): where a responder's call is looked
 * for, and so the longest a responder's change can be known as theirs (respectFor).
 */
export const CLOUDTRAIL_HISTORY_DAYS = 90;
/** How long a responder's change is left before it needs a person again (respectFor). */
export const DEFAULT_RESPECT_FOR = '7d';
export const MODES = ['remediate', 'report'] as const;
export type Mode = (typeof MODES)[number];

/** A check-and-repair switch in one setting. */
export const SWITCH_MODES = ['off', 'check', 'repair'] as const;
/** The guard rail's modes (protectDefaultPath): off, tag and report (`audit`), tag and refuse (`enforce`). */
export const PROTECT_MODES = ['off', 'audit', 'enforce'] as const;
export type ProtectMode = (typeof PROTECT_MODES)[number];
/** The path check's modes (reach): it reports, never repairs. */
export const REACH_MODES = ['off', 'check'] as const;
export type SwitchMode = (typeof SWITCH_MODES)[number];

/** A list as the doors give it: one string (comma-separated), or strings (repeated, cdk.json). */
export type RawList = string | readonly string[] | undefined;

export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
export const ORGANIZATION_ID_PATTERN = /^o-[a-z0-9]{10,32}$/;
export const OU_ID_PATTERN = /^(ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$/;
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
export const ROLE_NAME_PATTERN = /^[\w+=,.@-]{1,64}$/;
export const EXTERNAL_ID_PATTERN = /^[\w+=,.@:/-]{2,1224}$/;
export const TAG_PATTERN = /^([^=]{1,128})=(.{0,256})$/s;

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
  return z.preprocess((value: RawList) => splitList(value), z.array(item));
}

export const booleanFlag = z.preprocess(
  (value: boolean | string | undefined) => {
    if (typeof value !== 'string') return value;
    // Exactly `true` or `false`, as JSON and `-c key=true` write them: `TRUE` is refused, not guessed.
    const text = value.trim();
    if (text === '') return undefined;
    return text === 'true' ? true : text === 'false' ? false : value;
  },
  z.boolean({ error: 'must be true or false' }),
);

/** A whole number from `min` to `max`, given as a number or as text (`-c key=50`, an environment variable). */
export const integer = (min: number, max: number) =>
  z.preprocess(
    (value: number | string | undefined) =>
      typeof value === 'string' && /^\s*[-+]?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value,
    z
      .number({ error: `must be a whole number from ${min} to ${max}` })
      .int(`must be a whole number from ${min} to ${max}`)
      .min(min, `must be a whole number from ${min} to ${max}`)
      .max(max, `must be a whole number from ${min} to ${max}`),
  );

export const emptyAsUndefined = (value: unknown) => (value === '' || value === null ? undefined : value);

/** A duration as written (`7d`, `36h`, `90m`; parseDuration reads it) from `minMs` to `maxMs`. */
export const durationText = (minMs: number, maxMs: number, message: string) =>
  z
    .string({ error: message })
    .trim()
    .refine((text) => {
      const milliseconds = parseDuration(text);
      return milliseconds !== undefined && milliseconds >= minMs && milliseconds <= maxMs;
    }, message);

/** A text setting: empty means unset. */
export const text = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value: string | undefined) => emptyAsUndefined(value), schema);

/** One of `choices`; the error lists them. */
export const oneOf = <const T extends readonly [string, ...string[]]>(choices: T) =>
  z.enum(choices, { error: `must be one of: ${choices.join(', ')}` });

export const ROLE_NAME_MESSAGE = 'must be an IAM role name: 1-64 letters, digits or +=,.@_-';

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

export const UNKNOWN_REGION = 'is not an AWS region this version knows (e.g. eu-west-1); for newer regions use "all"';

export const regionSchema = z
  .string()
  .regex(REGION_PATTERN, 'must be a region name such as eu-west-1')
  .refine(isKnownRegion, UNKNOWN_REGION);

export const accountTagSchema = z
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
