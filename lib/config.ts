import { toProblems } from '../lambda/config/parse';
import { CONFIG_KEYS, sweepConfigSchema, type SweepConfig } from '../lambda/config/schema';
import { closestName } from '../lambda/core/edit-distance';
import { ConfigError, type InputProblem } from '../lambda/errors';
import { deploymentSchema } from './deployment-settings';
import type { z } from 'zod';

/**
 * The deployment's configuration, from CDK context (cdk.json defaults, `-c key=value` overrides;
 * lists comma-separated). The sweep settings are parsed with the CLI's and the handler's schema;
 * the deployment's own settings are added here. A bad value fails synth with one message naming
 * the key, the value and what is allowed. Each setting becomes the AccountJanitor prop of its name
 * (lib/account-janitor-stack.ts), and the construct checks the rules between them.
 */

/**
 * The regions every account of a partition has enabled from the start (no opt-in): where breaking
 * calls are forwarded from under `regions: all`, unless context eventRegions says otherwise. The
 * stack picks its partition's list (from a concrete region, or at deploy time by AWS::Partition).
 */
export const DEFAULT_EVENT_REGIONS_BY_PARTITION = {
  aws: [
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
    'ca-central-1',
    'sa-east-1',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'eu-central-1',
    'eu-north-1',
    'ap-south-1',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-southeast-1',
    'ap-southeast-2',
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-west-1', 'us-gov-east-1'],
} as const satisfies Record<string, readonly string[]>;
export type Partition = keyof typeof DEFAULT_EVENT_REGIONS_BY_PARTITION;
/** The `aws` partition's. */
export const DEFAULT_EVENT_REGIONS = DEFAULT_EVENT_REGIONS_BY_PARTITION.aws;
export const DEPLOYMENT_KEYS = Object.keys(deploymentSchema.shape) as (keyof z.output<typeof deploymentSchema>)[];
export const CONTEXT_KEYS: readonly string[] = [...CONFIG_KEYS, ...DEPLOYMENT_KEYS];

export interface DeploymentConfig extends Omit<z.output<typeof deploymentSchema>, 'eventRegions'> {
  readonly sweep: SweepConfig;
  /** Where breaking calls are forwarded from; undefined: the construct's default (AccountJanitorProps.eventRegions). */
  readonly eventRegions: readonly string[] | undefined;
}

/**
 * At most this many typos from a known key, the key is named ("did you mean"). The two closest
 * known keys are three edits apart (accountIds, accountTags; test/unit/config.test.ts keeps it so):
 * a key one edit from a known key is one edit from no other, and at two the closest is named, a tie none.
 */
export const CONTEXT_KEY_TYPOS = 2;

function unknownKeyMessage(key: string): string {
  const near = closestName(key, CONTEXT_KEYS, CONTEXT_KEY_TYPOS);
  return near
    ? `is not a known setting; did you mean ${near}?`
    : `is not a known setting (allowed: ${CONTEXT_KEYS.join(', ')})`;
}

/**
 * The context names no target (no targetOuIds, accountIds or allAccounts) and is otherwise valid:
 * cdk.json as it ships. The app then builds no stack (lib/app.ts), so `cdk bootstrap` works and
 * `cdk deploy` has nothing to deploy.
 */
export class NoTargetsError extends ConfigError {
  public constructor(problems: readonly InputProblem[]) {
    super('invalid CDK context', problems);
    this.name = 'NoTargetsError';
  }
}

/**
 * @param context every context value of the app (`app.node.getAllContext()`); keys that look like
 *   ours (plain camelCase) but are not known are refused, so a typo is not silently ignored.
 */
export function deploymentConfigFromContext(context: Record<string, unknown>): DeploymentConfig {
  const label = (key: string) => key;
  const pick = (keys: readonly string[]) =>
    Object.fromEntries(keys.filter((key) => context[key] !== undefined).map((key) => [key, context[key]]));
  const problems: InputProblem[] = Object.keys(context)
    .filter((key) => /^[a-z][a-zA-Z0-9]*$/.test(key) && !CONTEXT_KEYS.includes(key))
    .map((key) => ({ field: key, message: unknownKeyMessage(key) }));

  const sweep = sweepConfigSchema.safeParse(pick(CONFIG_KEYS), { reportInput: true });
  if (!sweep.success) problems.push(...toProblems(sweep.error.issues, label));
  const deployment = deploymentSchema.safeParse(pick(DEPLOYMENT_KEYS), { reportInput: true });
  if (!deployment.success) problems.push(...toProblems(deployment.error.issues, label));

  const noTargetsOnly =
    !sweep.success &&
    problems.length === 1 &&
    deployment.success &&
    sweep.error.issues.every((issue) => issue.code === 'custom' && issue.params?.['noTargets'] === true);
  if (noTargetsOnly) throw new NoTargetsError(problems);
  if (sweep.success && deployment.success && problems.length === 0) {
    const { memberRoleTargetOuIds, eventRegions } = deployment.data;
    // The rules between settings are the construct's (lib/account-janitor-rules.ts): the app
    // reports its problems as the context's, by the same names.
    return {
      ...deployment.data,
      memberRoleTargetOuIds: memberRoleTargetOuIds.length > 0 ? memberRoleTargetOuIds : sweep.data.targetOuIds,
      // Unset: the construct decides (the configured regions, or with `regions: all` the partition's).
      eventRegions: eventRegions.length > 0 ? eventRegions : undefined,
      sweep: sweep.data,
    };
  }
  throw new ConfigError('invalid CDK context', problems);
}
