import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The package as someone else's project gets it: `npm pack` (the files a publish ships), unpacked
 * into a fresh project's node_modules beside its dependencies (linked from this repository's, as
 * npm would install them). Needs dist/ (npm run build).
 */

const ROOT = join(__dirname, '..', '..');

export interface PackedConsumer {
  /** The consumer project's directory. */
  readonly dir: string;
  /** The files the tarball ships. */
  readonly files: readonly string[];
}

export function installPackedPackage(prefix: string): PackedConsumer {
  if (!existsSync(join(ROOT, 'dist', 'lib', 'index.js'))) throw new Error('no dist/: run npm run build first');
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
  const [result] = JSON.parse(pack.stdout) as [{ filename: string; files: { path: string }[] }];
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, 'account-janitor'), { recursive: true });
  const untar = spawnSync('tar', [
    '-xzf',
    join(dir, result.filename),
    '-C',
    join(modules, 'account-janitor'),
    '--strip-components=1',
  ]);
  if (untar.status !== 0) throw new Error(`tar failed: ${String(untar.stderr)}`);
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    if (entry !== 'account-janitor' && entry !== '.bin')
      symlinkSync(join(ROOT, 'node_modules', entry), join(modules, entry));
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'consumer', lockfileVersion: 3, packages: {} }));
  return { dir, files: result.files.map((file) => file.path) };
}
