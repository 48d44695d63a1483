import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';

/**
 * What `npm publish` would ship (`npm pack --dry-run`): the compiled code, its types and the command;
 * the README with every document and picture it links (and what those link) inside the tarball or
 * linked absolutely; no test, fixture, source or build state; and a bounded size.
 */

const ROOT = join(__dirname, '..', '..');
/** Measured at 0.2.0 with the docs and pictures: 722,717 bytes packed, 1,679,528 unpacked. */
const MAX_PACKED_BYTES = 1_000_000;
const MAX_UNPACKED_BYTES = 2_500_000;

let packed: { size: number; unpackedSize: number; files: { path: string }[] };
let paths: Set<string>;

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'lib', 'index.js'))) throw new Error('no dist/: run npm run build first');
  const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
  [packed] = JSON.parse(pack.stdout) as [typeof packed];
  paths = new Set(packed.files.map((file) => file.path));
}, 180_000);

test('it ships the code, its types and the command, and no test, fixture, TypeScript source or build state', () => {
  expect([...paths]).toEqual(
    expect.arrayContaining(['package.json', 'bin/account-janitor.js', 'dist/lib/index.js', 'dist/lib/index.d.ts']),
  );
  const unwanted = [...paths].filter(
    (path) =>
      /(^|\/)(test|tests|fixtures|__snapshots__|coverage|cdk\.out|\.demo|\.bench)\//.test(path) ||
      /\.test\.|\.tsbuildinfo$|\.map$/.test(path) ||
      (path.endsWith('.ts') && !path.endsWith('.d.ts')) ||
      /^(lambda|lib|cli|demo|bench|\.github|\.ci)\//.test(path),
  );
  expect(unwanted).toEqual([]);
});

/** The relative link and picture targets of a Markdown file (anchors and absolute URLs left out). */
function relativeTargets(markdown: string): string[] {
  return [...markdown.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)]
    .map((match) => (match[1] ?? '').split('#')[0] ?? '')
    .filter((target) => target !== '' && !/^[a-z][a-z+.-]*:/i.test(target));
}

test('every document and picture the packed README links, and every link of those documents, is in the tarball', () => {
  const missing: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const target of relativeTargets(readFileSync(join(ROOT, file), 'utf8'))) {
      const path = posix.normalize(posix.join(dirname(file), target));
      if (!paths.has(path)) missing.push(`${file} → ${target}`);
      else if (path.endsWith('.md')) visit(path);
    }
  };
  visit('README.md');
  expect(seen.size).toBeGreaterThan(5);
  expect([...paths]).toEqual(expect.arrayContaining(['docs/images/html-report.png', 'docs/deploy.md']));
  expect(missing).toEqual([]);
});

test('the link check reads links and pictures, and leaves anchors and absolute addresses out', () => {
  expect(
    relativeTargets('[a](docs/a.md#x) ![p](docs/images/p.png) [b](#local) [c](https://example.com/c.md) [d](LICENSE)'),
  ).toEqual(['docs/a.md', 'docs/images/p.png', 'LICENSE']);
});

test(`the tarball stays small: at most ${MAX_PACKED_BYTES} bytes packed, ${MAX_UNPACKED_BYTES} unpacked`, () => {
  expect(packed.size).toBeLessThanOrEqual(MAX_PACKED_BYTES);
  expect(packed.unpackedSize).toBeLessThanOrEqual(MAX_UNPACKED_BYTES);
});
