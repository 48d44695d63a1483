import {
  awsNukeAccountFilters,
  awsNukeFilters,
  cloudNukeIncludes,
  globMatches,
  goDurationMs,
  type AwsNukeItem,
} from '../support/nuke-filters';

/**
 * The tests' model of the clean-up tools' filters, held to the behaviour the tools document and
 * their sources implement (libnuke pkg/filter/filter.go and docs/config-filtering.md of aws-nuke;
 * cloud-nuke config/config.go): the preset tests are only as good as it.
 */

const role = (properties: Record<string, string>): AwsNukeItem => ({
  type: 'IAMRole',
  properties,
  legacy: String(properties['Name']),
});

describe('aws-nuke', () => {
  test.each([
    // [filter, the role's name, filtered]
    ['AWSNukeUser', 'AWSNukeUser', true], // a plain string: exact on the legacy string
    ['AWSNukeUser', 'AWSNukeUser2', false],
    [{ type: 'exact', value: 'AWSNukeUser' }, 'AWSNukeUser', true],
    [{ type: 'contains', value: 'Nuke' }, 'AWSNukeUser', true],
    [{ type: 'glob', value: 'AWSNuke*' }, 'AWSNukeUser', true],
    [{ type: 'glob', value: 'admin -> *' }, 'admin -> AKIA', true],
    [{ type: 'glob', value: 'a*' }, 'a/b', false], // the glob's wildcards never match the separator
    [{ type: 'glob', value: 'a?c' }, 'abc', true],
    [{ type: 'regex', value: 'Nuke.*' }, 'AWSNukeUser', true], // unanchored, as Go's MatchString
    [{ type: 'regex', value: '^Nuke' }, 'AWSNukeUser', false],
    [{ type: 'prefix', value: 'AWS' }, 'AWSNukeUser', true],
    [{ type: 'suffix', value: 'User' }, 'AWSNukeUser', true],
    [{ type: 'In', values: ['a', 'AWSNukeUser'] }, 'AWSNukeUser', true],
    [{ type: 'NotIn', values: ['a', 'AWSNukeUser'] }, 'AWSNukeUser', false],
    [{ property: 'Name', value: 'foo', invert: true }, 'bar', true], // any but foo
    [{ property: 'Name', value: 'foo', invert: 'true' }, 'foo', false],
  ] as const)('%j on %s: filtered %s', (filter, name, filtered) => {
    expect(awsNukeFilters({ IAMRole: [filter] }, role({ Name: name }))).toBe(filtered);
  });

  test('a property the resource lacks reads as "", so an exact "true" misses and an inverted one matches', () => {
    expect(awsNukeFilters({ IAMRole: [{ property: 'tag:team', value: 'true' }] }, role({ Name: 'x' }))).toBe(false);
    expect(
      awsNukeFilters({ IAMRole: [{ property: 'tag:team', value: 'true', invert: true }] }, role({ Name: 'x' })),
    ).toBe(true);
  });

  test('a filter without property on a resource without a legacy string is skipped (GetProperty fails)', () => {
    expect(awsNukeFilters({ IAMRole: ['x'] }, { type: 'IAMRole', properties: { Name: 'x' } })).toBe(false);
  });

  test('filters of one group are OR’d, groups AND’d, and __global__ joins every type', () => {
    const item = role({ Name: 'ci', 'tag:env': 'dev', 'tag:namespace': 'prod' });
    const groups = (namespace: string) => ({
      IAMRole: [
        { property: 'tag:env', value: 'dev', group: 'g1' },
        { property: 'tag:namespace', value: namespace, group: 'g2' },
      ],
    });
    expect(awsNukeFilters(groups('prod'), item)).toBe(true);
    expect(awsNukeFilters(groups('test'), item)).toBe(false);
    expect(awsNukeFilters({ __global__: [{ property: 'tag:env', value: 'dev' }] }, item)).toBe(true);
    expect(awsNukeFilters({ EC2VPC: [{ property: 'tag:env', value: 'dev' }] }, item)).toBe(false);
  });

  test('dates: dateOlderThan and the documented dateOlderThanNow -12h with invert', () => {
    const now = Date.parse('2024-10-15T00:00:00Z');
    const lastUsed = (date: string) => role({ Name: 'x', LastUsedDate: date });
    const newer = { IAMRole: [{ type: 'dateOlderThanNow', property: 'LastUsedDate', value: '-12h', invert: true }] };
    expect(awsNukeFilters(newer, lastUsed('2024-10-14T14:30:00Z'), now)).toBe(true);
    expect(awsNukeFilters(newer, lastUsed('2024-10-13T12:30:00Z'), now)).toBe(false);
    const older = { IAMRole: [{ type: 'dateOlderThan', property: 'LastUsedDate', value: '1h' }] };
    expect(awsNukeFilters(older, lastUsed('2024-10-14T23:30:00Z'), now)).toBe(true);
    expect(awsNukeFilters(older, lastUsed('2024-10-14T22:30:00Z'), now)).toBe(false);
    expect(goDurationMs('2h45m')).toBe(9_900_000);
    expect(() => goDurationMs('12')).toThrow('invalid duration');
  });

  test('an account’s filters are its own and its presets’; a preset it names that does not exist fails', () => {
    const config = {
      presets: { common: { filters: { IAMRole: ['OrganizationAccountAccessRole'] } } },
      accounts: { '111122223333': { presets: ['common'], filters: { IAMRole: ['admin'] } } },
    };
    expect(awsNukeAccountFilters(config, '111122223333')).toEqual({
      IAMRole: ['admin', 'OrganizationAccountAccessRole'],
    });
    expect(awsNukeAccountFilters(config, '444455556666')).toEqual({});
    expect(() => awsNukeAccountFilters({ accounts: { '1': { presets: ['nope'] } } }, '1')).toThrow('nope');
  });

  test('what is not modelled throws rather than guesses', () => {
    expect(() => globMatches('[ab]*', 'a')).toThrow('not modelled');
    expect(() => awsNukeFilters({ IAMRole: [{ type: 'fuzzy', value: 'x' }] }, role({ Name: 'x' }))).toThrow(
      'unknown type',
    );
  });
});

describe('cloud-nuke', () => {
  const gateway = (tags: Record<string, string> | undefined, name = '') => ({ name, ...(tags ? { tags } : {}) });

  test('no rule: every listed resource is deleted, unless tagged cloud-nuke-excluded=true (any case)', () => {
    expect(cloudNukeIncludes({}, 'InternetGateway', gateway({}))).toBe(true);
    expect(cloudNukeIncludes({}, 'InternetGateway', gateway({ 'cloud-nuke-excluded': 'TRUE' }))).toBe(false);
  });

  test('names: exclude wins over include; with an include list only matching names are deleted', () => {
    const config = { IAMRoles: { include: { names_regex: ['^ci-'] }, exclude: { names_regex: ['keep'] } } };
    expect(cloudNukeIncludes(config, 'IAMRoles', { name: 'ci-temp', tags: {} })).toBe(true);
    expect(cloudNukeIncludes(config, 'IAMRoles', { name: 'ci-keep', tags: {} })).toBe(false);
    expect(cloudNukeIncludes(config, 'IAMRoles', { name: 'app', tags: {} })).toBe(false);
  });

  test('tags: key exact, value matched lower-cased, OR’d unless tags_operator AND', () => {
    const exclude = (operator?: string) => ({
      InternetGateway: {
        exclude: { tags: { keep: '^true$', team: 'core' }, ...(operator ? { tags_operator: operator } : {}) },
      },
    });
    expect(cloudNukeIncludes(exclude(), 'InternetGateway', gateway({ keep: 'True' }))).toBe(false);
    expect(cloudNukeIncludes(exclude(), 'InternetGateway', gateway({ Keep: 'true' }))).toBe(true);
    expect(cloudNukeIncludes(exclude('AND'), 'InternetGateway', gateway({ keep: 'true' }))).toBe(true);
    expect(cloudNukeIncludes(exclude('and'), 'InternetGateway', gateway({ keep: 'true', team: 'core-net' }))).toBe(
      false,
    );
  });

  test('include tags on a resource without tags: left alone, for safety', () => {
    const config = { EventBridgeRule: { include: { tags: { env: 'dev' } } } };
    expect(cloudNukeIncludes(config, 'EventBridgeRule', { name: 'default|x' })).toBe(false);
    expect(cloudNukeIncludes({}, 'EventBridgeRule', { name: 'default|x' })).toBe(true);
  });
});
