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

test("every sweep setting's CLI option is one the command has, and every variable is the function's", () => {
  let help = '';
  buildProgram({ stdout: (text) => (help += text), stderr: () => undefined }).outputHelp();
  for (const key of CONFIG_KEYS) {
    const { cli } = SWEEP_SETTINGS[key];
    expect([key, help.includes(`${cli.flags} `)]).toEqual([key, true]);
  }
  const variables = Object.values(CONFIG_ENVIRONMENT_VARIABLES);
  expect(new Set(variables).size).toBe(CONFIG_KEYS.length);
  expect(variables.every((name) => /^JANITOR_[A-Z_]+$/.test(name))).toBe(true);
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
