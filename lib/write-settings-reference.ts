import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingsReference } from './settings-reference';

/** `npm run docs`: writes docs/configuration.md from the settings tables. */
const file = join(__dirname, '..', 'docs', 'configuration.md');
writeFileSync(file, settingsReference());
process.stdout.write(`wrote ${file}\n`);
