import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runCli } from '../../cli/cli';
import { NUKE_TOOLS, renderNukePreset, type NukeTool } from '../../cli/nuke-preset/cli';
import { DEFAULT_MEMBER_ROLE_NAME, DEFAULT_READ_ONLY_ROLE_NAME } from '../../lambda/config/values';
import { GUARD_RAIL_STATEMENT_IDS } from '../../lambda/contract/permissions';
import { PROTECT_TAG_KEY } from '../../lambda/contract/tags';
import { guardRailPolicy } from '../../lib/guard-rail-policy';
import awsNukeNames from '../fixtures/nuke-tools/aws-nuke.json';
import cloudNukeNames from '../fixtures/nuke-tools/cloud-nuke.json';
import { capturedIo } from '../support/cli-io';

/**
 * `account-janitor nuke-preset`: YAML each tool reads, in names its source defines (the fixture
 * lists under test/fixtures/nuke-tools, with their source path and commit), keeping what the guard
 * rail refuses; the command's options and errors. What the presets keep of a real organization:
 * test/integration/nuke-preset.test.ts.
 */

const DEFAULTS = { memberRoleName: DEFAULT_MEMBER_ROLE_NAME, readOnlyRoleName: DEFAULT_READ_ONLY_ROLE_NAME };
const render = (tool: NukeTool, names = DEFAULTS) =>
  renderNukePreset({ tool, presetName: 'account-janitor', ...names });
/** The output as a YAML 1.2 reader reads it, failing on duplicate keys or anything it would warn about. */
const read = (text: string) =>
  parse(text, { strict: true, uniqueKeys: true, prettyErrors: true }) as Record<string, unknown>;
/** The value at a path of keys in what `read` returned. */
const at = (value: unknown, ...keys: string[]): unknown =>
  keys.reduce((inner, key) => (inner as Record<string, unknown> | undefined)?.[key], value);

type FilterEntry = Record<string, unknown>;
const awsNukeFilters = (text: string) =>
  at(read(text), 'presets', 'account-janitor', 'filters') as Record<string, FilterEntry[]>;

test.each(NUKE_TOOLS)('%s: the output is YAML, its comment says what it keeps and how to use it', (tool) => {
  const text = render(tool);
  expect(text.startsWith('# account-janitor nuke-preset for ')).toBe(true);
  expect(() => read(text)).not.toThrow();
  expect(Object.keys(read(text)).length).toBeGreaterThan(0);
});

describe('aws-nuke', () => {
  const resources = awsNukeNames.resources as Record<string, { properties: string[]; tagPrefixes: string[] }>;

  test('the preset is one `presets` entry; every resource type, filter field, type and property is aws-nuke’s', () => {
    const text = render('aws-nuke');
    expect(Object.keys(read(text))).toEqual(['presets']);
    const problems: string[] = [];
    for (const [type, filters] of Object.entries(awsNukeFilters(text))) {
      const names = resources[type];
      if (!names) {
        problems.push(`${type}: not a resource type of ${awsNukeNames.source.repository}`);
        continue;
      }
      for (const filter of filters) {
        for (const field of Object.keys(filter)) {
          if (!awsNukeNames.filterFields.fields.includes(field)) problems.push(`${type}: field ${field}`);
        }
        const filterType = filter['type'] as string | undefined;
        if (filterType !== undefined && !awsNukeNames.filterFields.types.includes(filterType)) {
          problems.push(`${type}: type ${filterType}`);
        }
        const property = String(filter['property']);
        const known =
          names.properties.includes(property) || names.tagPrefixes.some((prefix) => property.startsWith(prefix));
        if (!known) problems.push(`${type}: property ${property}`);
        // Filter.UnmarshalYAML reads `value` as a Go string: a YAML boolean there would stop aws-nuke.
        if (typeof filter['value'] !== 'string')
          problems.push(`${type}: value ${String(filter['value'])} is not a string`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('the default path: each resource type by its default-VPC property, and the guard rail’s tag where the janitor sets it', () => {
    const filters = awsNukeFilters(render('aws-nuke'));
    expect(filters['EC2VPC']).toEqual([
      { property: 'IsDefault', value: 'true' },
      { property: `tag:${PROTECT_TAG_KEY}`, value: 'true' },
    ]);
    for (const type of [
      'EC2InternetGateway',
      'EC2Subnet',
      'EC2RouteTable',
      'EC2DefaultSecurityGroupRule',
      'EC2DHCPOption',
    ]) {
      expect(filters[type]).toContainEqual({ property: 'DefaultVPC', value: 'true' });
    }
    expect(filters['EC2InternetGatewayAttachment']).toContainEqual({
      property: `tag:igw:${PROTECT_TAG_KEY}`,
      value: 'true',
    });
  });

  test('keeps each role the guard rail keeps, by the names deployed, its policies too', () => {
    const names = { memberRoleName: 'JanitorWrite', readOnlyRoleName: 'JanitorRead' };
    const filters = awsNukeFilters(render('aws-nuke', names));
    const janitorStatement = (guardRailPolicy({ config: names, partition: 'aws' })['Statement'] as FilterEntry[]).find(
      (statement) => statement['Sid'] === GUARD_RAIL_STATEMENT_IDS.janitor,
    );
    const rolePatterns = (janitorStatement?.['Resource'] as string[])
      .filter((arn) => arn.includes(':role/'))
      .map((arn) => arn.replace(/^.*:role\//, ''));
    expect(rolePatterns).toContain('JanitorWrite');
    for (const [type, property] of [
      ['IAMRole', 'Name'],
      ['IAMRolePolicy', 'role:RoleName'],
      ['IAMRolePolicyAttachment', 'RoleName'],
    ] as const) {
      expect((filters[type] ?? []).map((filter) => [filter['property'], filter['value']])).toEqual(
        rolePatterns.map((pattern) => [property, pattern]),
      );
    }
    const stacks = (janitorStatement?.['Resource'] as string[]).filter((arn) => arn.includes(':stack/'));
    expect(stacks.map((arn) => arn.replace(/^.*:stack\//, ''))).toEqual(
      filters['CloudFormationStack']?.map((f) => f['value']),
    );
  });
});

describe('cloud-nuke', () => {
  test('every resource type key and rule field is one cloud-nuke’s config reads (it reads strictly: another key fails the run)', () => {
    const config = read(render('cloud-nuke'));
    const problems: string[] = [];
    for (const [type, entry] of Object.entries(config) as [string, Record<string, Record<string, unknown>>][]) {
      if (!cloudNukeNames.resourceTypes.includes(type)) problems.push(`${type}: not a resource type`);
      const fields = [
        ...cloudNukeNames.resourceTypeFields,
        ...(cloudNukeNames.ec2ResourceTypes.includes(type) ? cloudNukeNames.ec2ResourceTypeFields : []),
      ];
      for (const [field, rule] of Object.entries(entry)) {
        if (!fields.includes(field)) problems.push(`${type}: field ${field}`);
        for (const [ruleField, value] of Object.entries(rule)) {
          if (!cloudNukeNames.filterRuleFields.includes(ruleField)) problems.push(`${type}.${field}: ${ruleField}`);
          const texts = ruleField === 'tags' ? Object.values(value as object) : (value as unknown[]);
          if (!texts.every((text) => typeof text === 'string'))
            problems.push(`${type}.${field}.${ruleField}: not text`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(config['InternetGateway']).toEqual({ exclude: { tags: { [PROTECT_TAG_KEY]: '^true$' } } });
  });

  test('role names are matched whole, their regular-expression characters escaped', () => {
    const config = read(render('cloud-nuke', { memberRoleName: 'Janitor.Write+1', readOnlyRoleName: 'JanitorRead' }));
    const patterns = at(config, 'IAMRoles', 'exclude', 'names_regex') as string[];
    expect(patterns.slice(0, 2)).toEqual(['^Janitor\\.Write\\+1$', '^JanitorRead$']);
    expect(new RegExp(patterns[0] ?? '').test('JanitorXWrite+1')).toBe(false);
  });
});

describe('the command', () => {
  const run = (...args: string[]) => {
    const captured = capturedIo();
    const code = runCli(['node', 'account-janitor', 'nuke-preset', ...args], captured.io);
    return code.then((exitCode) => ({ exitCode, stdout: captured.stdout(), stderr: captured.stderr() }));
  };

  test('prints the preset for the names given', async () => {
    const { exitCode, stdout, stderr } = await run('--tool', 'aws-nuke', '--role-name', 'W', '--preset-name', 'keep');
    expect([exitCode, stderr]).toEqual([0, '']);
    expect(at(read(stdout), 'presets', 'keep', 'filters', 'IAMRole', '0')).toEqual({ property: 'Name', value: 'W' });
  });

  test('--output writes the file and prints nothing', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'nuke-preset-')), 'cloud-nuke.yaml');
    const { exitCode, stdout } = await run('--tool', 'cloud-nuke', '--output', file);
    expect([exitCode, stdout]).toEqual([0, '']);
    expect(readFileSync(file, 'utf8')).toBe(render('cloud-nuke'));
  });

  test.each([
    [['--tool', 'terraform'], "argument 'terraform' is invalid. Allowed choices are aws-nuke, cloud-nuke"],
    [[], "required option '--tool <name>' not specified"],
    [['--tool', 'aws-nuke', '--role-name', 'a/b'], '--role-name "a/b": must be an IAM role name'],
    [['--tool', 'aws-nuke', '--preset-name', 'a b'], '--preset-name "a b": must be 1-64 letters, digits or ._-'],
    [
      ['--tool', 'aws-nuke', '--output', '/nonexistent/dir/preset.yaml'],
      '--output "/nonexistent/dir/preset.yaml": cannot be written (ENOENT)',
    ],
  ])('%j: one line naming the option, exit 2', async (args, message) => {
    const { exitCode, stdout, stderr } = await run(...args);
    expect([exitCode, stdout]).toEqual([2, '']);
    expect(stderr).toContain(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  test('help: account-janitor help nuke-preset', async () => {
    const captured = capturedIo();
    expect(await runCli(['node', 'account-janitor', 'help', 'nuke-preset'], captured.io)).toBe(0);
    expect(captured.stdout()).toContain('Usage: account-janitor nuke-preset [options]');
    expect(captured.stdout()).toContain('docs/clean-up-tools.md');
  });
});
