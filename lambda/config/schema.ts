import { z } from 'zod';
import { SWEEP_SETTINGS, type SettingKey } from './settings';
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
export type SweepConfigInput = { readonly [K in SettingKey]?: z.input<Schemas[K]> };
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
