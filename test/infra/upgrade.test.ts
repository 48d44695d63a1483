import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../../lib/app';
import { UPGRADE_CASES } from '../fixtures/upgrade/cases';

/**
 * An upgrade never replaces what must persist. Each earlier release's templates (test/fixtures/upgrade/
 * <version>/, written by that release's own app) against today's, for the same configuration: every
 * StackSet, role, event bus, table, bucket, key, topic, SCP and schedule group keeps its logical id
 * and type, and each of its create-only properties (CloudFormation replaces the resource when one
 * changes; cfn-lint ships the resource schemas that list them) keeps its value.
 */

const FIXTURES = join(__dirname, '..', 'fixtures', 'upgrade');

/** What a replacement would lose or orphan: the roles StackSet instances and trust policies name, the state, the keys, the SCPs. */
const MUST_PERSIST = [
  'AWS::CloudFormation::StackSet',
  'AWS::IAM::Role',
  'AWS::Events::EventBus',
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::S3::Bucket',
  'AWS::KMS::Key',
  'AWS::SNS::Topic',
  'AWS::Organizations::Policy',
  'AWS::Scheduler::ScheduleGroup',
] as const;

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}
type Template = { readonly Resources: Record<string, Resource> };
type CreateOnly = Readonly<Record<string, readonly string[]>>;

/** Each type's createOnlyProperties (JSON pointers such as /properties/StackSetName), from cfn-lint's schemas. */
function createOnlyProperties(types: readonly string[]): CreateOnly {
  const script = [
    'import json, sys',
    'from cfnlint.schema import PROVIDER_SCHEMA_MANAGER as schemas',
    'types = json.loads(sys.argv[1])',
    "print(json.dumps({t: schemas.get_resource_schema('us-east-1', t).schema.get('createOnlyProperties', []) for t in types}))",
  ].join('\n');
  const result = spawnSync('python3', ['-c', script, JSON.stringify(types)], { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) {
    throw new Error(`cfn-lint's resource schemas could not be read (pip install cfn-lint): ${result.stderr.trim()}`);
  }
  return JSON.parse(result.stdout) as CreateOnly;
}

/** The value at a schema pointer (/properties/A/B) in a resource's Properties; undefined when absent. */
function at(resource: Resource, pointer: string): unknown {
  const path = pointer.replace(/^\/properties\//, '').split('/');
  let value: unknown = resource.Properties;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** What an update from `before` to `after` would replace or delete among the resources that must persist. */
function replacements(before: Template, after: Template, createOnly: CreateOnly): string[] {
  return Object.entries(before.Resources).flatMap(([id, resource]) => {
    if (!(MUST_PERSIST as readonly string[]).includes(resource.Type)) return [];
    const now = after.Resources[id];
    if (now === undefined)
      return [`${resource.Type} ${id}: gone (a new logical id creates another, the old one is deleted)`];
    if (now.Type !== resource.Type) return [`${resource.Type} ${id}: now a ${now.Type}`];
    return (createOnly[resource.Type] ?? []).flatMap((pointer) =>
      JSON.stringify(at(resource, pointer)) === JSON.stringify(at(now, pointer))
        ? []
        : [
            `${resource.Type} ${id}: create-only ${pointer} changes from ${JSON.stringify(at(resource, pointer))} to ${JSON.stringify(at(now, pointer))}`,
          ],
    );
  });
}

const createOnly = createOnlyProperties(MUST_PERSIST);

function today(name: string): Template {
  const entry = UPGRADE_CASES.find((candidate) => candidate.name === name);
  if (!entry) throw new Error(`no upgrade case ${name}`);
  const app = new App({ context: { ...entry.context, 'aws:cdk:bundling-stacks': [] } });
  const { stack } = buildApp(app, { account: entry.account, region: entry.region });
  return app.synth().getStackArtifact(stack.artifactId).template as Template;
}

const RELEASES = readdirSync(FIXTURES).filter((entry) => /^\d+\.\d+\.\d+$/.test(entry));
const PAIRS = RELEASES.flatMap((version) => UPGRADE_CASES.map(({ name }) => [version, name] as const));
const todays = new Map<string, Template>();
const todayOf = (name: string) => todays.get(name) ?? todays.set(name, today(name)).get(name)!;
const release = (version: string, name: string) =>
  JSON.parse(readFileSync(join(FIXTURES, version, `${name}.template.json`), 'utf8')) as Template;

test('the fixtures hold each upgrade case for each release kept, and the persistent resources in them', () => {
  expect(RELEASES).toContain('0.2.0');
  for (const [version, name] of PAIRS) {
    const types = new Set(Object.values(release(version, name).Resources).map((resource) => resource.Type));
    expect([...types]).toEqual(
      expect.arrayContaining(['AWS::CloudFormation::StackSet', 'AWS::IAM::Role', 'AWS::SNS::Topic', 'AWS::KMS::Key']),
    );
  }
  expect(createOnly['AWS::CloudFormation::StackSet']).toEqual(
    expect.arrayContaining(['/properties/StackSetName', '/properties/PermissionModel']),
  );
});

test.each(PAIRS)(
  'upgrading from %s (%s) replaces nothing that must persist',
  (version, name) => {
    expect(replacements(release(version, name), todayOf(name), createOnly)).toEqual([]);
  },
  120_000,
);

test('the comparison finds a renamed StackSet, a StackSet under another logical id, and a role gone', () => {
  const before = release('0.2.0', 'defaults');
  const [stackSetId, stackSet] = Object.entries(before.Resources).find(
    ([, resource]) => resource.Type === 'AWS::CloudFormation::StackSet',
  )!;
  const renamed: Template = {
    Resources: {
      ...before.Resources,
      [stackSetId]: { ...stackSet, Properties: { ...stackSet.Properties, StackSetName: 'account-janitor-renamed' } },
    },
  };
  expect(replacements(before, renamed, createOnly)).toEqual([
    `AWS::CloudFormation::StackSet ${stackSetId}: create-only /properties/StackSetName changes from ${JSON.stringify(stackSet.Properties?.['StackSetName'])} to "account-janitor-renamed"`,
  ]);
  const { [stackSetId]: moved, ...rest } = before.Resources;
  expect(replacements(before, { Resources: { ...rest, [`${stackSetId}2`]: moved! } }, createOnly)).toEqual([
    `AWS::CloudFormation::StackSet ${stackSetId}: gone (a new logical id creates another, the old one is deleted)`,
  ]);
  const roleId = Object.keys(before.Resources).find((id) => before.Resources[id]?.Type === 'AWS::IAM::Role')!;
  const withoutRole = Object.fromEntries(Object.entries(before.Resources).filter(([id]) => id !== roleId));
  expect(replacements(before, { Resources: withoutRole }, createOnly)).toHaveLength(1);
});
