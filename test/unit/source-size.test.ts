import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every shipped source file stays readable in one sitting: at most 300 lines. */

const ROOT = join(__dirname, '..', '..');
const MAX_LINES = 300;

function sources(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(folder, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(folder, entry.name)]
        : [],
  );
}

test.each(['lambda', 'lib'])('no source file in %s/ is over 300 lines', (folder) => {
  const long = sources(folder)
    .map((file) => ({ file, lines: readFileSync(join(ROOT, file), 'utf8').split('\n').length }))
    .filter((entry) => entry.lines > MAX_LINES);
  expect(long).toEqual([]);
});
