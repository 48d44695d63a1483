import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withChecksTable } from './reference';

/** `npm run docs`: writes the table of doctor's checks in docs/deploy.md from the registry. */
const file = join(__dirname, '..', '..', 'docs', 'deploy.md');
writeFileSync(file, withChecksTable(readFileSync(file, 'utf8')));
process.stdout.write(`wrote ${file}\n`);
