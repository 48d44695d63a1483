import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a user of the package reads beside the code: its licence and what changed in each version. */

const ROOT = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; license: string };

test('the LICENSE file is the licence package.json names', () => {
  expect(manifest.license).toBe('Apache-2.0');
  const text = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
  expect(text).toContain('Apache License');
  expect(text).toContain('Version 2.0, January 2004');
});

test("the CHANGELOG has an entry, with a date, for package.json's version", () => {
  const changelog = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8');
  expect(changelog).toMatch(
    new RegExp(`^## \\[${manifest.version.replace(/\./g, '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}$`, 'm'),
  );
});

test('each release in the CHANGELOG, and Unreleased, says how to upgrade to it (### Upgrading)', () => {
  const changelog = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8');
  const sections = changelog.split(/^(?=## \[)/m).slice(1);
  expect(sections.length).toBeGreaterThanOrEqual(3);
  const without = sections
    .filter((section) => !/^### Upgrading\n\n- \S/m.test(section))
    .map((section) => section.split('\n')[0]);
  expect(without).toEqual([]);
});
