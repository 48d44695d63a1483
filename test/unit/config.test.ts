import {
  CONFIG_ENVIRONMENT_VARIABLES,
  sweepConfigFromEnvironment,
  sweepConfigToEnvironment,
} from '../../lambda/config/environment';
import { parseSweepConfig } from '../../lambda/config/parse';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_REPAIRS_PER_RUN,
  DEFAULT_MEMBER_ROLE_NAME,
  DEFAULT_READ_ONLY_ROLE_NAME,
} from '../../lambda/config/schema';
import { ConfigError } from '../../lambda/errors';

const OU = 'ou-ab12-cdef3456';
const ACCOUNT = '111122223333';
const parse = (raw: Record<string, unknown>) => parseSweepConfig(raw, 'test', (key) => `<${key}>`);

function problemOf(raw: Record<string, unknown>): string {
  try {
    parse(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('sweep configuration schema', () => {
  test('defaults: every enabled region, remediate, the default role, concurrency 128', () => {
    expect(parse({ targetOuIds: OU })).toEqual({
      targetOuIds: [OU],
      accountIds: [],
      allAccounts: false,
      accountTags: [],
      excludeAccountIds: [],
      regions: 'all',
      memberRoleName: DEFAULT_MEMBER_ROLE_NAME,
      readOnlyRoleName: DEFAULT_READ_ONLY_ROLE_NAME,
      externalId: undefined,
      mode: 'remediate',
      concurrency: DEFAULT_CONCURRENCY,
      maxAttempts: DEFAULT_MAX_ATTEMPTS,
      maxRepairsPerRun: DEFAULT_MAX_REPAIRS_PER_RUN,
      repairInternetGateway: false,
      recreateDefaultVpc: false,
      checkDefaultSubnets: false,
      repairDefaultSubnets: false,
      checkEgress: false,
      repairEgress: false,
      defaultSubnets: 'off',
      egress: 'off',
      reach: 'check',
      lookUpCauses: true,
      protectDefaultPath: 'off',
      respectPrincipals: [],
      respectFor: '7d',
    });
  });

  test('lists: repeated, comma-separated, spaced and duplicated values all read the same', () => {
    const config = parse({
      targetOuIds: [`${OU}, r-ab12`, 'ou-ab12-99990000'],
      regions: ['eu-west-1,us-east-1', 'eu-west-1'],
      accountTags: 'env=sandbox,team=a=b',
    });
    expect(config.targetOuIds).toEqual([OU, 'r-ab12', 'ou-ab12-99990000']);
    expect(config.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(config.accountTags).toEqual([
      { key: 'env', value: 'sandbox' },
      { key: 'team', value: 'a=b' },
    ]);
  });

  test('strings from the environment or CDK context: booleans and numbers', () => {
    const config = parse({ allAccounts: 'true', concurrency: '32', mode: 'report', externalId: '' });
    expect(config).toMatchObject({ allAccounts: true, concurrency: 32, mode: 'report', externalId: undefined });
    // Exactly true or false: another spelling is refused, not guessed.
    expect(problemOf({ allAccounts: 'TRUE' })).toBe('test: <allAccounts> "TRUE": must be true or false');
  });

  test('"all" alone means every enabled region', () => {
    expect(parse({ accountIds: ACCOUNT, regions: 'all' }).regions).toBe('all');
    expect(parse({ accountIds: ACCOUNT, regions: ['all'] }).regions).toBe('all');
  });

  test('no selector at all is refused: never "everything" by accident', () => {
    expect(problemOf({})).toBe('test: no target accounts: choose <targetOuIds>, <accountIds> or <allAccounts>');
    expect(problemOf({ allAccounts: false, accountTags: 'env=x' })).toContain('no target accounts');
  });

  test.each<[string, Record<string, unknown>, string]>([
    [
      'an account id that is not 12 digits',
      { accountIds: '12345' },
      '<accountIds> "12345": must be a 12-digit AWS account id',
    ],
    [
      'an excluded account id with letters',
      { allAccounts: true, excludeAccountIds: '11112222333x' },
      '<excludeAccountIds> "11112222333x": must be a 12-digit AWS account id',
    ],
    [
      'an OU id of the wrong form',
      { targetOuIds: 'sandbox' },
      '<targetOuIds> "sandbox": must be an OU id (ou-xxxx-xxxxxxxx) or an organization root id (r-xxxx)',
    ],
    [
      'a malformed region',
      { accountIds: ACCOUNT, regions: 'Europe' },
      '<regions> "Europe": must be a region name such as eu-west-1, or "all"',
    ],
    [
      'an unknown region',
      { accountIds: ACCOUNT, regions: 'us-east-1,eu-west-9' },
      '<regions> "eu-west-9": is not an AWS region this version knows',
    ],
    [
      'a negative repair cap',
      { allAccounts: true, maxRepairsPerRun: -1 },
      '<maxRepairsPerRun> -1: must be a whole number from 0 to 100000',
    ],
    [
      'too many attempts',
      { allAccounts: true, maxAttempts: 50 },
      '<maxAttempts> 50: must be a whole number from 1 to 20',
    ],
    [
      '"all" mixed with regions',
      { accountIds: ACCOUNT, regions: 'all,eu-west-1' },
      '<regions> "all": "all" cannot be combined with region names',
    ],
    ['a tag without "="', { allAccounts: true, accountTags: 'env' }, '<accountTags> "env": must be key=value'],
    [
      'a role name with a slash',
      { allAccounts: true, memberRoleName: 'path/Role' },
      '<memberRoleName> "path/Role": must be an IAM role name',
    ],
    ['an unknown mode', { allAccounts: true, mode: 'fix' }, '<mode> "fix": must be one of: remediate, report'],
    [
      'zero concurrency',
      { allAccounts: true, concurrency: 0 },
      '<concurrency> 0: must be a whole number from 1 to 256',
    ],
    [
      'negative concurrency',
      { allAccounts: true, concurrency: '-4' },
      '<concurrency> -4: must be a whole number from 1 to 256',
    ],
    [
      'huge concurrency',
      { allAccounts: true, concurrency: '100000' },
      '<concurrency> 100000: must be a whole number from 1 to 256',
    ],
    [
      'fractional concurrency',
      { allAccounts: true, concurrency: '2.5' },
      '<concurrency> 2.5: must be a whole number from 1 to 256',
    ],
    [
      'non-numeric concurrency',
      { allAccounts: true, concurrency: 'many' },
      '<concurrency> "many": must be a whole number from 1 to 256',
    ],
    ['a non-boolean allAccounts', { allAccounts: 'yes' }, '<allAccounts> "yes": must be true or false'],
    ['a wrong type in a list', { accountIds: [123456789012] }, '<accountIds> 123456789012'],
    [
      'an unknown setting',
      { allAccounts: true, region: 'eu-west-1' },
      '<region>: is not a known setting (allowed: <targetOuIds>, <accountIds>',
    ],
  ])('refuses %s, naming the field and the value', (_what, raw, message) => {
    expect(problemOf(raw)).toContain(message);
  });

  test('every problem is reported at once, on one line', () => {
    const message = problemOf({ accountIds: ['1', '2'], concurrency: 0 });
    expect(message).toContain('<accountIds> "1"');
    expect(message).toContain('<accountIds> "2"');
    expect(message).toContain('<concurrency> 0');
    expect(message).not.toContain('\n');
  });
});

describe('Lambda environment', () => {
  test('round trip: the variables the stack writes are the ones the handler reads', () => {
    const config = parse({
      targetOuIds: [OU, 'r-ab12'],
      accountIds: ACCOUNT,
      accountTags: ['env=sandbox', 'team=platform'],
      excludeAccountIds: '444455556666',
      regions: 'eu-west-1,eu-central-1',
      memberRoleName: 'JanitorRole',
      externalId: 'org-secret',
      mode: 'report',
      concurrency: 40,
    });
    const environment = sweepConfigToEnvironment(config);
    expect(Object.keys(environment).every((name) => name.startsWith('JANITOR_'))).toBe(true);
    expect(sweepConfigFromEnvironment(environment)).toEqual(config);
  });

  test('unset optional values are left out of the environment', () => {
    const environment = sweepConfigToEnvironment(parse({ allAccounts: true }));
    expect(environment).toEqual({
      JANITOR_ALL_ACCOUNTS: 'true',
      JANITOR_REGIONS: 'all',
      JANITOR_MEMBER_ROLE_NAME: DEFAULT_MEMBER_ROLE_NAME,
      JANITOR_READ_ONLY_ROLE_NAME: DEFAULT_READ_ONLY_ROLE_NAME,
      JANITOR_MODE: 'remediate',
      JANITOR_CONCURRENCY: String(DEFAULT_CONCURRENCY),
      JANITOR_MAX_ATTEMPTS: String(DEFAULT_MAX_ATTEMPTS),
      JANITOR_MAX_REPAIRS_PER_RUN: String(DEFAULT_MAX_REPAIRS_PER_RUN),
      JANITOR_REPAIR_INTERNET_GATEWAY: 'false',
      JANITOR_RECREATE_DEFAULT_VPC: 'false',
      JANITOR_CHECK_DEFAULT_SUBNETS: 'false',
      JANITOR_REPAIR_DEFAULT_SUBNETS: 'false',
      JANITOR_CHECK_EGRESS: 'false',
      JANITOR_REPAIR_EGRESS: 'false',
      JANITOR_REACH: 'check',
      JANITOR_LOOK_UP_CAUSES: 'true',
      JANITOR_PROTECT_DEFAULT_PATH: 'off',
      JANITOR_RESPECT_FOR: '7d',
    });
  });

  test('every opt-in switch is read from its variable', () => {
    const config = sweepConfigFromEnvironment({
      JANITOR_ALL_ACCOUNTS: 'true',
      JANITOR_REPAIR_INTERNET_GATEWAY: 'true',
      JANITOR_RECREATE_DEFAULT_VPC: 'true',
      JANITOR_CHECK_DEFAULT_SUBNETS: 'false',
      JANITOR_REPAIR_DEFAULT_SUBNETS: ' true ',
      JANITOR_CHECK_EGRESS: 'true',
      JANITOR_REPAIR_EGRESS: 'false',
      JANITOR_LOOK_UP_CAUSES: 'false',
    });
    expect(config).toMatchObject({
      repairInternetGateway: true,
      recreateDefaultVpc: true,
      checkDefaultSubnets: false,
      repairDefaultSubnets: true,
      checkEgress: true,
      repairEgress: false,
      lookUpCauses: false,
    });
    expect(() =>
      sweepConfigFromEnvironment({ JANITOR_ALL_ACCOUNTS: 'true', JANITOR_REPAIR_DEFAULT_SUBNETS: 'yes' }),
    ).toThrow('JANITOR_REPAIR_DEFAULT_SUBNETS "yes": must be true or false');
  });

  test('a bad variable is named as the variable', () => {
    expect(() =>
      sweepConfigFromEnvironment({ [CONFIG_ENVIRONMENT_VARIABLES.accountIds]: '1234', JANITOR_CONCURRENCY: '0' }),
    ).toThrow(
      'invalid Lambda environment: JANITOR_ACCOUNT_IDS "1234": must be a 12-digit AWS account id; JANITOR_CONCURRENCY 0: must be a whole number from 1 to 256',
    );
  });

  test('other variables of the environment are not configuration', () => {
    expect(() => sweepConfigFromEnvironment({ PATH: '/bin', JANITOR_ALL_ACCOUNTS: 'true' })).not.toThrow();
  });
});

describe('a check-and-repair switch is one setting; the two switches of old are its aliases', () => {
  const parse = (raw: Record<string, unknown>) =>
    parseSweepConfig({ targetOuIds: 'r-ab12', ...raw }, 'test', (key) => key);

  test.each([
    [{ egress: 'check' }, { egress: 'check', checkEgress: true, repairEgress: false }],
    [{ egress: 'repair' }, { egress: 'repair', repairEgress: true }],
    [{ checkEgress: 'true' }, { egress: 'check', checkEgress: true }],
    [{ repairEgress: 'true' }, { egress: 'repair', repairEgress: true }],
    [{ defaultSubnets: 'repair' }, { defaultSubnets: 'repair', repairDefaultSubnets: true }],
    [{ checkDefaultSubnets: true }, { defaultSubnets: 'check', checkDefaultSubnets: true }],
    [
      { egress: 'repair', repairEgress: true },
      { egress: 'repair', repairEgress: true },
    ],
  ])('%j reads as %j', (raw, expected) => {
    expect(parse(raw)).toMatchObject(expected);
  });

  test('a switch and its aliases that disagree, or a mode that is none, are refused with the setting named', () => {
    expect(() => parse({ egress: 'check', repairEgress: true })).toThrow(
      'egress "check": disagrees with checkEgress/repairEgress (its aliases, which say repair): give one or the other',
    );
    expect(() => parse({ defaultSubnets: 'fix' })).toThrow('defaultSubnets "fix": must be one of: off, check, repair');
  });
});
