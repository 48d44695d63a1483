import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildProgram } from '../../cli/cli-program';
import { CONFIG_ENVIRONMENT_VARIABLES } from '../../lambda/config/environment';
import { CONFIG_KEYS } from '../../lambda/config/schema';
import { SWEEP_SETTINGS } from '../../lambda/config/settings';
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
    expect([key, help.includes(`${cli} `) || help.includes(`${cli},`)]).toEqual([key, true]);
  }
  const variables = Object.values(CONFIG_ENVIRONMENT_VARIABLES);
  expect(new Set(variables).size).toBe(CONFIG_KEYS.length);
  expect(variables.every((name) => /^JANITOR_[A-Z_]+$/.test(name))).toBe(true);
});
