import { heatmapOf, MAX_MAP_CELLS } from '../../lambda/report/heatmap';
import { renderDigest } from '../../lambda/report/digest';
import { renderHtml } from '../../lambda/report/render-html';
import { MAX_SNS_MESSAGE, snsDigestOf } from '../../lambda/report/sns-digest';
import type { SweepReport } from '../../lambda/core/report';
import { largeReport, worstNight } from '../support/large-report';
import { report, result } from '../support/results';

/**
 * Reports that stay small: 10,000 accounts × 17 regions (about 170,000 account-regions), on a
 * typical night and on the worst one (every account-region repaired). The SNS digest fits in one
 * message and the HTML page stays under 10 MB; sizes are asserted here, timings in `npm run bench`.
 */

const TYPICAL = largeReport(10_000);
const WORST = worstNight(TYPICAL);
const NIGHTS: readonly (readonly [string, SweepReport])[] = [
  ['typical', TYPICAL],
  ['worst', WORST],
];
const PAGE = 's3://janitor-reports-111122223333/reports/2026/12/04/2026-12-04T03-00-00.000Z-remediate.html';

/** The whole message Publish sends, as publishReport builds it. */
function published(sweep: SweepReport, trigger: 'schedule' | 'event' = 'schedule') {
  const digest = renderDigest(sweep, trigger);
  if (!digest) throw new Error('no digest');
  return snsDigestOf(sweep, digest, { trigger, page: PAGE, heldBack: 3 });
}

test.each(NIGHTS)('10,000 × 17, %s night: the SNS digest is one message within 262,144 bytes', (_, sweep) => {
  expect(sweep.results.length).toBeGreaterThan(165_000);
  const sns = published(sweep);
  expect(Buffer.byteLength(sns.message)).toBeLessThanOrEqual(MAX_SNS_MESSAGE);
  expect(Buffer.byteLength(sns.subject)).toBeLessThan(100);
  // Every row that needs attention is counted, listed or not.
  const text: string = sns.structured ? (JSON.parse(sns.message) as { default: string }).default : sns.message;
  expect(text).toContain(`The HTML report of this run: ${PAGE}`);
  expect(text).toMatch(/\.\.\. and [\d,]+ more/);
});

test('whatever the rows say, the digest stops listing them before SNS refuses the message', () => {
  // Every group with its 200 rows, each a message of 2,000 characters: 3.6 MB of lines uncut.
  const statuses = [
    'repair-failed',
    'conflict',
    'no-internet-gateway',
    'would-restore',
    'restored',
    'ignored',
  ] as const;
  const long = 'x'.repeat(2000);
  const sweep = report(
    statuses.flatMap((status, group) =>
      Array.from({ length: 300 }, (_, index) =>
        result(status, { accountId: String(group * 1000 + index).padStart(12, '0'), message: long }),
      ),
    ),
  );
  const sns = published(sweep);
  expect(Buffer.byteLength(sns.message)).toBeLessThanOrEqual(MAX_SNS_MESSAGE);
  // Each group is still headed and counted: the rows left out are "and N more".
  const text: string = sns.structured ? (JSON.parse(sns.message) as { default: string }).default : sns.message;
  expect(text.match(/ \(300\):\n/g)).toHaveLength(statuses.length);
  expect(text.match(/\.\.\. and [\d,]+ more/g)).toHaveLength(statuses.length);
});

test.each(NIGHTS)('10,000 × 17, %s night: the HTML page stays under 10 MB, its map within its cells', (_, sweep) => {
  const html = renderHtml(sweep);
  expect(Buffer.byteLength(html)).toBeLessThan(10 * 1024 * 1024);
  const map = heatmapOf(sweep);
  const drawn = map.groups.flatMap((group) => group.accounts);
  const cells = drawn.reduce((sum, account) => sum + ('account' in account.cells ? 1 : account.cells.length), 0);
  expect(cells).toBeLessThanOrEqual(MAX_MAP_CELLS);
  expect(html.match(/<td class="k-/g)).toHaveLength(
    drawn.reduce((sum, account) => sum + ('account' in account.cells ? 1 : account.cells.filter(Boolean).length), 0),
  );
  // Every account is drawn or counted; the legend still counts every account-region.
  expect(drawn.length + map.notDrawn.quiet + map.notDrawn.beyond).toBe(10_000);
  expect(Object.values(map.counts).reduce((sum, count) => sum + count, 0)).toBe(sweep.results.length);
  expect(html).toContain(`of its 10,000 accounts, ${drawn.length.toLocaleString('en-US')} drawn`);
});
