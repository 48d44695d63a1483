import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withExitCodesList } from './exit-codes';

/** `npm run docs`: writes the list of exit codes in docs/cli.md from cli/exit-codes.ts. */
const file = join(__dirname, '..', 'docs', 'cli.md');
writeFileSync(file, withExitCodesList(readFileSync(file, 'utf8')));
process.stdout.write(`wrote ${file}\n`);
