import { z } from 'zod';
import { SWEEP_SETTINGS, type AliasSettingKey, type Setting, type SettingKey, type SwitchSettingKey } from './settings';
import type { SwitchMode } from './values';

export {
  ACCOUNT_ID_PATTERN,
  accountIdSchema,
  booleanFlag,
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_REPAIRS_PER_RUN,
  DEFAULT_MEMBER_ROLE_NAME,
  DEFAULT_READ_ONLY_ROLE_NAME,
  integer,
  isKnownRegion,
  listOf,
  MAX_CONCURRENCY,
  MAX_MAX_ATTEMPTS,
  MAX_MAX_REPAIRS_PER_RUN,
  type Mode,
  MODES,
  ORGANIZATION_ID_PATTERN,
  OU_ID_PATTERN,
  ouIdSchema,
  REGION_PATTERN,
  regionSchema,
  regionsSchema,
  SWITCH_MODES,
  type SwitchMode,
} from './values';

/**
 * The one configuration schema of a sweep, made from the settings table (settings.ts). The CLI
 * (options), the Lambda handler (environment variables) and the CDK stack (context) all parse
 * their raw values with it, so a value means the same thing, and fails with the same message,
 * whichever door it came through.
 *
 * Raw values may be strings (environment, `-c key=value`), lists of strings (repeatable CLI
 * options, cdk.json) or native types; lists may also be comma-separated.
 */

type Schemas = { readonly [K in SettingKey]: (typeof SWEEP_SETTINGS)[K]['schema'] };

const schemas = Object.fromEntries(
  Object.entries(SWEEP_SETTINGS).map(([key, setting]) => [key, setting.schema]),
) as unknown as Schemas;

const sweepConfigObject = z.object(schemas).strict();

/** The switches, and the aliases of each with the mode it stands for, from the settings table. */
const SWITCHES = (Object.keys(SWEEP_SETTINGS) as SettingKey[])
  .filter((key): key is SwitchSettingKey => 'switch' in SWEEP_SETTINGS[key])
  .map((key) => ({
    key,
    aliases: (Object.keys(SWEEP_SETTINGS) as SettingKey[]).flatMap((alias) => {
      const setting: Setting = SWEEP_SETTINGS[alias];
      return setting.aliasOf?.[0] === key ? [{ alias: alias as AliasSettingKey, mode: setting.aliasOf[1] }] : [];
    }),
  }));

type RawConfig = z.output<typeof sweepConfigObject>;

/** The mode a switch's aliases give: the strongest one set (`repair` over `check`), else `off`. */
function aliasedMode(config: RawConfig, aliases: (typeof SWITCHES)[number]['aliases']): SwitchMode {
  const set = aliases.filter(({ alias }) => config[alias]).map(({ mode }) => mode);
  return set.includes('repair') ? 'repair' : set.includes('check') ? 'check' : 'off';
}

export const sweepConfigSchema = sweepConfigObject
  .superRefine((config, context) => {
    // A switch and its aliases, both given, must say the same.
    for (const { key, aliases } of SWITCHES) {
      const mode = config[key];
      const aliased = aliasedMode(config, aliases);
      if (mode !== undefined && aliased !== 'off' && mode !== aliased) {
        context.addIssue({
          code: 'custom',
          path: [key],
          input: mode,
          message: `disagrees with ${aliases.map(({ alias }) => alias).join('/')} (its aliases, which say ${aliased}): give one or the other`,
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
    // Every switch says its mode (`off` unless it or an alias says otherwise); the aliases follow it.
    const resolved: Record<string, unknown> = { ...config };
    for (const { key, aliases } of SWITCHES) {
      const mode = config[key] ?? aliasedMode(config, aliases);
      resolved[key] = mode;
      for (const { alias, mode: aliasMode } of aliases) resolved[alias] = config[alias] || mode === aliasMode;
    }
    return resolved as Omit<RawConfig, SwitchSettingKey> & { readonly [K in SwitchSettingKey]: SwitchMode };
  });

/** Raw values as the doors supply them: strings, lists of strings (comma-separated or not), native types. */
export type SweepConfigInput = { readonly [K in SettingKey]?: z.input<Schemas[K]> };
export type SweepConfig = z.output<typeof sweepConfigSchema>;
export type ConfigKey = keyof z.output<typeof sweepConfigSchema>;
export type AccountTag = SweepConfig['accountTags'][number];

/** The configuration keys, in the order they are documented. */
export const CONFIG_KEYS = Object.keys(sweepConfigObject.shape) as ConfigKey[];
