import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The template scripts write only the file they are given: without one, one line and exit code 2. */

const ROOT = join(__dirname, '..', '..');

test.each([
  ['write-member-role-template', 'member-role-template', 'member-role.template.json'],
  ['write-guard-rail-policy', 'guard-rail-policy', 'guard-rail-policy.json'],
])('%s with no file named writes nothing and says how to name one', (file, script, example) => {
  const cwd = mkdtempSync(join(tmpdir(), 'janitor-script-'));
  const before = readdirSync(ROOT);
  const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'lib', `${file}.ts`)], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(result.stderr).toBe(`error: no file to write: name one: npm run ${script} -- ${example}\n`);
  expect(result.stdout).toBe('');
  expect(result.status).toBe(2);
  expect(readdirSync(cwd)).toEqual([]);
  expect(readdirSync(ROOT)).toEqual(before);
});
