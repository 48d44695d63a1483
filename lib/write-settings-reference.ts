import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withMetricsTable, withStatusesTable } from './reference-docs';
import { settingsReference } from './settings-reference';

/**
 * `npm run docs`: writes docs/configuration.md from the settings tables, and the generated tables of
 * docs/statuses.md (statuses) and docs/lambda.md (metrics).
 */
const docs = join(__dirname, '..', 'docs');
const write = (name: string, text: string) => {
  writeFileSync(join(docs, name), text);
  process.stdout.write(`wrote ${join(docs, name)}\n`);
};
write('configuration.md', settingsReference());
write('statuses.md', withStatusesTable(readFileSync(join(docs, 'statuses.md'), 'utf8')));
write('lambda.md', withMetricsTable(readFileSync(join(docs, 'lambda.md'), 'utf8')));
