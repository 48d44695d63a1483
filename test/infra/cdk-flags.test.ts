import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../lib/app';
import { HUB_ACCOUNT, MATRIX, REGION_OF } from '../support/deploy-matrix-cases';

/**
 * cdk.json sets every recommended feature flag (so `cdk synth` prints no "feature flags are not
 * configured" notice), at its recommended value but for the exceptions below, and those set since
 * 0.2.0 change no template (names in a list compared in any order).
 */

const ROOT = join(__dirname, '..', '..');
const RECOMMENDED = JSON.parse(
  readFileSync(join(ROOT, 'node_modules', 'aws-cdk-lib', 'recommended-feature-flags.json'), 'utf8'),
) as Record<string, unknown>;
const context = (JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> })
  .context;
const flags = Object.fromEntries(Object.entries(context).filter(([key]) => key.startsWith('@aws-cdk')));

/** Set otherwise than recommended, and why. */
const EXCEPTIONS: Record<string, unknown> = {
  // Literal partitions in ARNs: the template would name `arn:aws:` where it names AWS::Partition,
  // every IAM policy of a deployed stack would change, and cdk-nag's acknowledgements with it.
  '@aws-cdk/core:enablePartitionLiterals': false,
  // The partitions the stack is tested and documented in: GovCloud's too.
  '@aws-cdk/core:target-partitions': ['aws', 'aws-cn', 'aws-us-gov'],
};

test('every recommended feature flag is set in cdk.json, at its recommended value but for the exceptions', () => {
  const unset = Object.entries(RECOMMENDED).filter(([key, value]) => !(key in flags) && value !== false);
  expect(unset).toEqual([]);
  const otherwise = Object.entries(flags)
    .filter(([key, value]) => key in RECOMMENDED && JSON.stringify(value) !== JSON.stringify(RECOMMENDED[key]))
    .map(([key]) => key);
  expect(otherwise.sort()).toEqual(Object.keys(EXCEPTIONS).sort());
  for (const [key, value] of Object.entries(EXCEPTIONS)) expect(flags[key]).toEqual(value);
});

// The first case of each partition, and the one with every opt-in.
const CASES = MATRIX.filter(
  (entry, index) =>
    MATRIX.findIndex((other) => other.partition === entry.partition) === index ||
    Object.keys(entry.context).includes('repairEgress'),
);

/** Lists of names (IAM actions, resources) in a stable order: `minimizePolicies` orders them otherwise. */
function sortedNames(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(sortedNames);
    return items.every((item) => typeof item === 'string') ? [...items].sort() : items;
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, sortedNames(item)]));
  }
  return value;
}

function synth(entry: (typeof MATRIX)[number], withFlags: Record<string, unknown>): unknown {
  const app = new App({ context: { ...withFlags, ...entry.context, 'aws:cdk:bundling-stacks': [] } });
  const { stack } = buildApp(app, { account: HUB_ACCOUNT, region: REGION_OF[entry.partition] });
  app.synth();
  return sortedNames(Template.fromStack(stack).toJSON());
}

/**
 * The flags the stack was written with (cdk.json since the first stack, 0.1.0). `minimizePolicies` among them merges
 * IAM statements, so the template `cdk deploy` makes differs in form from the tests' (which
 * synthesize without cdk.json); the flags set since change nothing beyond them.
 */
const WRITTEN_WITH = [
  '@aws-cdk/aws-lambda:recognizeLayerVersion',
  '@aws-cdk/core:checkSecretUsage',
  '@aws-cdk/aws-iam:minimizePolicies',
  '@aws-cdk/core:validateSnapshotRemovalPolicy',
  '@aws-cdk/aws-lambda-nodejs:useLatestRuntimeVersion',
];

test.each(CASES.map((entry) => [entry.name, entry] as const))(
  'the recommended flags change no template beyond those it was written with: %s',
  (_name, entry) => {
    const writtenWith = Object.fromEntries(WRITTEN_WITH.map((key) => [key, flags[key]]));
    expect(synth(entry, flags)).toEqual(synth(entry, writtenWith));
  },
  120_000,
);
