import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withExitCodesList } from '../../cli/exit-codes';
import { STATUS_TRAITS } from '../../lambda/core/statuses';
import { METRIC_NAMES } from '../../lambda/core/sweep-metrics';
import { metricsTable, statusesTable, withMetricsTable, withStatusesTable } from '../../lib/reference-docs';

/** The generated tables of the docs are what the tables of the code make (`npm run docs` writes them). */

const doc = (name: string) => readFileSync(join(__dirname, '..', '..', 'docs', name), 'utf8');

test('docs/statuses.md lists every status as the status table says (npm run docs)', () => {
  const markdown = doc('statuses.md');
  expect(withStatusesTable(markdown)).toBe(markdown);
  // One row per status, each naming its status first.
  const rows = statusesTable().slice(2);
  expect(rows.map((row) => /^\| `([^`]+)` \|/.exec(row)?.[1])).toEqual(Object.keys(STATUS_TRAITS));
});

test('docs/lambda.md lists every metric the sweep publishes (npm run docs)', () => {
  const markdown = doc('lambda.md');
  expect(withMetricsTable(markdown)).toBe(markdown);
  const named = metricsTable()
    .slice(2)
    .map((row) => /^\| `([^`]+)`/.exec(row)?.[1]);
  expect(named.slice(0, METRIC_NAMES.length)).toEqual([...METRIC_NAMES]);
});

test('docs/cli.md lists every exit code, and the statuses of exit code 1, as cli/exit-codes.ts says (npm run docs)', () => {
  const markdown = doc('cli.md');
  expect(withExitCodesList(markdown)).toBe(markdown);
  expect(markdown).toContain('- **3** (`"outcome": "run-failed"`): the run could not complete');
  for (const status of ['left-by-responder', 'protect-failed'])
    expect(markdown).toMatch(new RegExp(`\\*\\*1\\*\\*.*\`${status}\``));
});

test('a generated section needs both of its markers', () => {
  expect(() => withStatusesTable('# no markers here\n')).toThrow(/markers of a generated section are missing/);
});
