import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildProgram, settingsFromOptions } from '../../cli/cli-program';
import { CONFIG_ENVIRONMENT_VARIABLES } from '../../lambda/config/environment';
import {
  CONFIG_KEYS,
  DEFAULT_CONCURRENCY,
  DEFAULT_MEMBER_ROLE_NAME,
  MAX_CONCURRENCY,
} from '../../lambda/config/schema';
import { docOf, shownDefault, SWEEP_SETTINGS } from '../../lambda/config/settings';
import { DEPLOYMENT_SETTINGS } from '../../lib/deployment-settings';
import { settingsReference } from '../../lib/settings-reference';

/** The settings tables are the one definition: the docs, the CLI and the environment agree with them. */

const FILE = join(__dirname, '..', '..', 'docs', 'configuration.md');

test('docs/configuration.md is what the settings tables generate (npm run docs)', () => {
  // Formatted as the docs script formats it (prettier runs as a command: its module is ESM-only inside).
  const prettier = join(__dirname, '..', '..', 'node_modules', '.bin', 'prettier');
  const formatted = spawnSync(prettier, ['--stdin-filepath', FILE], { input: settingsReference(), encoding: 'utf8' });
  expect(formatted.status).toBe(0);
  expect(readFileSync(FILE, 'utf8')).toBe(formatted.stdout);
});

test('the options and variables a user types stay what they were: the table may not rename one silently', () => {
  const program = buildProgram({ stdout: () => undefined, stderr: () => undefined });
  expect(program.options.map((option) => option.flags)).toEqual([
    '--ou <id>',
    '--account <id>',
    '--all-accounts',
    '--account-tag <key=value>',
    '--exclude-account <id>',
    '--region <name>',
    '--role-name <name>',
    '--read-only-role-name <name>',
    '--external-id <id>',
    '--dry-run',
    '--concurrency <n>',
    '--max-attempts <n>',
    '--max-repairs <n>',
    '--repair-internet-gateway',
    '--recreate-default-vpc',
    '--default-subnets <mode>',
    '--egress <mode>',
    '--check-default-subnets',
    '--repair-default-subnets',
    '--check-egress',
    '--repair-egress',
    '--reach <mode>',
    '--no-causes',
    '--protect-default-path',
    '--respect-principal <arn-pattern>',
    '--respect-for <duration>',
    '--expect-organization <id>',
    '--deadline <duration>',
    '--repair-anyway',
    '--output <format>',
    '--json',
    '--all',
    '--wide',
    '-V, --version',
  ]);
  expect(Object.values(CONFIG_ENVIRONMENT_VARIABLES)).toEqual([
    'JANITOR_TARGET_OU_IDS',
    'JANITOR_ACCOUNT_IDS',
    'JANITOR_ALL_ACCOUNTS',
    'JANITOR_ACCOUNT_TAGS',
    'JANITOR_EXCLUDE_ACCOUNT_IDS',
    'JANITOR_REGIONS',
    'JANITOR_MEMBER_ROLE_NAME',
    'JANITOR_READ_ONLY_ROLE_NAME',
    'JANITOR_EXTERNAL_ID',
    'JANITOR_MODE',
    'JANITOR_CONCURRENCY',
    'JANITOR_MAX_ATTEMPTS',
    'JANITOR_MAX_REPAIRS_PER_RUN',
    'JANITOR_REPAIR_INTERNET_GATEWAY',
    'JANITOR_RECREATE_DEFAULT_VPC',
    'JANITOR_DEFAULT_SUBNETS',
    'JANITOR_EGRESS',
    'JANITOR_CHECK_DEFAULT_SUBNETS',
    'JANITOR_REPAIR_DEFAULT_SUBNETS',
    'JANITOR_CHECK_EGRESS',
    'JANITOR_REPAIR_EGRESS',
    'JANITOR_REACH',
    'JANITOR_LOOK_UP_CAUSES',
    'JANITOR_PROTECT_DEFAULT_PATH',
    'JANITOR_RESPECT_PRINCIPALS',
    'JANITOR_RESPECT_FOR',
    'JANITOR_ORGANIZATION_ID',
  ]);
  expect(CONFIG_KEYS).toHaveLength(27);
});

/** The command's help, as `account-janitor --help` prints it. */
function help(): string {
  let text = '';
  buildProgram({ stdout: (chunk) => (text += chunk), stderr: () => undefined }).outputHelp();
  return text.replace(/\s+/g, ' ');
}

/** The settings' raw values the command gives the schema for these arguments. */
function settingsOf(...args: string[]) {
  const program = buildProgram({ stdout: () => undefined, stderr: () => undefined });
  program.parse(['node', 'account-janitor', ...args]);
  return settingsFromOptions(program.opts());
}

test("an option's help is its setting's doc, with whether it repeats and its default from the schema", () => {
  const text = help();
  expect(text).toContain(
    '--ou <id> OU or root ids: every account below each, through nested OUs (repeatable, comma-separated)',
  );
  expect(text).toContain(
    `--concurrency <n> account-regions checked at once (1–${MAX_CONCURRENCY}) (default: ${DEFAULT_CONCURRENCY})`,
  );
  expect(text).toContain(`(default: ${DEFAULT_MEMBER_ROLE_NAME})`);
  expect(text).toContain(
    '--region <name> region names, or all: each account’s enabled regions (repeatable, comma-separated) (default: all)',
  );
  // An alias says which switch and mode it stands for; an option of its own meaning keeps its help.
  expect(text).toContain('--repair-egress alias of --egress repair');
  expect(text).toContain('--dry-run report what would be repaired; make no write call at all');
  expect(text).toContain('--egress <mode>');
  expect(text).toContain('(choices: "off", "check", "repair")');
});

test('the options fill the settings they stand for, and nothing the user did not give', () => {
  expect(settingsOf('--ou', 'ou-ab12-cdef3456,ou-ab12-99990000', '--ou', 'r-ab12', '--dry-run', '--no-causes')).toEqual(
    {
      targetOuIds: ['ou-ab12-cdef3456,ou-ab12-99990000', 'r-ab12'],
      mode: 'report',
      lookUpCauses: false,
    },
  );
  expect(settingsOf('--egress', 'check', '--protect-default-path', '--max-repairs', '7')).toEqual({
    egress: 'check',
    protectDefaultPath: 'audit',
    maxRepairsPerRun: '7',
    lookUpCauses: true,
  });
});

test("a setting's default in the docs is what its schema makes of nothing, unless the table says more", () => {
  expect(shownDefault(SWEEP_SETTINGS.concurrency)).toBe(String(DEFAULT_CONCURRENCY));
  expect(shownDefault(SWEEP_SETTINGS.allAccounts)).toBe('`false`');
  expect(shownDefault(SWEEP_SETTINGS.regions)).toBe('`all`');
  expect(shownDefault(SWEEP_SETTINGS.targetOuIds)).toBe('none');
  expect(shownDefault(SWEEP_SETTINGS.egress)).toBe('`off`');
  expect(shownDefault(DEPLOYMENT_SETTINGS.schedule)).toBe('`cron(0 3 * * ? *)`');
  expect(docOf(SWEEP_SETTINGS.checkDefaultSubnets)).toBe('alias of `defaultSubnets=check`');
});
