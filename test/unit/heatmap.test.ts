import { withAccountOus } from '../../lambda/core/report';
import { ouPathNames } from '../../lambda/discover-target-accounts';
import { STATUS_TRAITS, type RowStatus } from '../../lambda/core/statuses';
import { heatmapOf, kindOfRow, kindOfStatus, MAX_MAP_CELLS, type CellKind } from '../../lambda/report/heatmap';
import { formatCount, MAX_LISTED_ROWS_PER_GROUP } from '../../lambda/report/attention';
import { escapeHtml, renderHtml } from '../../lambda/report/render-html';
import { largeReport, worstNight } from '../support/large-report';
import { egress, report, result, subnets } from '../support/results';

/** The heatmap's model: which kind every status is, the worst of a row, the grouping by OU. */

const KIND_OF: Record<RowStatus, CellKind> = {
  skipped: 'absent',
  'access-denied': 'failed',
  ok: 'ok',
  restored: 'repaired',
  replaced: 'repaired',
  'would-restore': 'drift',
  'would-replace': 'drift',
  'gateway-restored': 'repaired',
  'would-restore-gateway': 'drift',
  'vpc-recreated': 'repaired',
  'would-recreate-vpc': 'drift',
  conflict: 'person',
  'left-by-responder': 'person',
  'no-internet-gateway': 'person',
  'no-default-vpc': 'absent',
  ignored: 'ignored',
  'region-disabled': 'absent',
  'region-denied': 'absent',
  'repair-failed': 'failed',
  'repair-refused': 'failed',
  error: 'failed',
  'not-checked': 'not-checked',
  'subnets-ok': 'ok',
  'subnets-restored': 'repaired',
  'would-restore-subnets': 'drift',
  'subnets-missing': 'person',
  'subnets-misconfigured': 'drift',
  'subnets-repair-failed': 'failed',
  'subnets-repair-refused': 'failed',
  'subnets-error': 'failed',
  'egress-ok': 'ok',
  'egress-restored': 'repaired',
  'would-restore-egress': 'drift',
  'egress-blocked': 'person',
  'egress-restricted': 'drift',
  'egress-ignored': 'ignored',
  'egress-repair-failed': 'failed',
  'egress-repair-refused': 'failed',
  'egress-error': 'failed',
  protected: 'ok',
  'would-protect': 'ok',
  'protect-failed': 'failed',
  'protect-refused': 'failed',
  'reach-ok': 'ok',
  'bpa-blocked': 'person',
  'route-shadowed': 'person',
  'subnet-off-path': 'person',
};

test.each(Object.keys(STATUS_TRAITS) as RowStatus[])('%s is drawn as its kind', (status) => {
  expect(kindOfStatus(status)).toBe(KIND_OF[status]);
});

test("a row is drawn as the worst of its statuses, and a part's repair on a healthy route counts", () => {
  expect(kindOfRow(result('restored', { egress: egress('egress-error') }))).toBe('failed');
  expect(kindOfRow(result('ok', { subnets: subnets('subnets-ok'), egress: egress('egress-ignored') }))).toBe('ignored');
  expect(
    kindOfRow(result('ok', { subnets: subnets('subnets-misconfigured', { zonesRepaired: ['eu-west-1a'] }) })),
  ).toBe('drift');
  expect(kindOfRow(result('ok', { egress: egress('egress-ok', { repaired: ['sg-1'] }) }))).toBe('repaired');
});

test('accounts are grouped by the OU they were listed under, OUs in order, the rest last; a whole-account row spans', () => {
  const sweep = {
    ...report([
      result('ok', { accountId: '333333333333', region: 'us-east-1' }),
      result('access-denied', { accountId: '222222222222' }),
      result('ok', { accountId: '111111111111', region: 'eu-west-1' }),
    ]),
    accountOus: { '333333333333': 'ou-ab12-00000001', '111111111111': 'ou-ab12-00000002' },
  };
  const map = heatmapOf({ ...sweep, ouNames: { 'ou-ab12-00000002': '<Team> Beta' } });
  expect(map.regions).toEqual(['eu-west-1', 'us-east-1']);
  // OUs by name (one without a name by its id), the rest last.
  expect(map.groups.map((group) => group.ouName)).toEqual(['<Team> Beta', undefined, undefined]);
  expect(renderHtml({ ...sweep, ouNames: { 'ou-ab12-00000002': '<Team> Beta' } })).toContain(
    '>OU &lt;Team&gt; Beta (ou-ab12-00000002) (1 account)</th>',
  );
  expect(map.groups.map((group) => [group.ouId, group.accounts.map((account) => account.accountId)])).toEqual([
    ['ou-ab12-00000002', ['111111111111']],
    ['ou-ab12-00000001', ['333333333333']],
    [null, ['222222222222']],
  ]);
  expect(map.groups[2]?.accounts[0]?.cells).toEqual({
    account: { kind: 'failed', title: '222222222222: access-denied — access-denied message' },
  });
  expect(map.counts).toMatchObject({ ok: 2, failed: 1 });
});

test('a map past its cells draws none of the quiet accounts and the others worst first, every OU its share; the rest is counted', () => {
  // GIVEN two OUs of four accounts × 2 regions: one repaired account and one failed in each, the rest ok or region-disabled
  const row = (account: number, region: string, status: Parameters<typeof result>[0]) =>
    result(status, { accountId: String(account).repeat(12), accountName: `a-${account}`, region });
  const sweep = {
    ...report([
      row(1, 'eu-west-1', 'restored'),
      row(1, 'us-east-1', 'ok'),
      row(2, 'eu-west-1', 'ok'),
      row(2, 'us-east-1', 'region-disabled'),
      row(3, 'eu-west-1', 'repair-failed'),
      row(3, 'us-east-1', 'ok'),
      row(4, 'eu-west-1', 'ok'),
      row(4, 'us-east-1', 'ok'),
      row(5, 'eu-west-1', 'restored'),
      row(5, 'us-east-1', 'restored'),
      row(6, 'eu-west-1', 'conflict'),
      row(6, 'us-east-1', 'ok'),
    ]),
    accountOus: Object.fromEntries(
      [1, 2, 3, 4, 5, 6].map((a) => [String(a).repeat(12), `ou-ab12-0000000${a <= 4 ? 1 : 2}`]),
    ),
  };
  const drawn = (maxCells: number) =>
    heatmapOf(sweep, maxCells).groups.map((group) => [
      group.accounts.map((account) => account.accountName),
      group.notDrawn,
    ]);
  // WHEN every cell fits THEN every account is drawn, nothing counted apart
  expect(heatmapOf(sweep, 12).notDrawn).toEqual({ quiet: 0, beyond: 0 });
  expect(heatmapOf(sweep, 12).groups.map((group) => group.notDrawn)).toEqual([undefined, undefined]);
  // WHEN the cells do not fit THEN the quiet accounts are counted, the failed and the person's first, then the repaired
  expect(drawn(8)).toEqual([
    [['a-1', 'a-3'], { quiet: 2, beyond: 0 }],
    [['a-5', 'a-6'], { quiet: 0, beyond: 0 }],
  ]);
  expect(drawn(4)).toEqual([
    [['a-3'], { quiet: 2, beyond: 1 }],
    [['a-6'], { quiet: 0, beyond: 1 }],
  ]);
  expect(heatmapOf(sweep, 4).counts).toMatchObject({ repaired: 3, failed: 1, person: 1, ok: 6, absent: 1 });
  expect(MAX_MAP_CELLS).toBeGreaterThanOrEqual(17_000);
});

test('OUs and accounts in name order, as a person reads them (sandbox-2 before sandbox-10), not by id', () => {
  const row = (accountId: string, accountName: string) => result('ok', { accountId, accountName, region: 'eu-west-1' });
  const map = heatmapOf({
    ...report([
      row('111111111111', 'sandbox-10'),
      row('999999999999', 'sandbox-2'),
      row('555555555555', 'Build'),
      row('222222222222', 'zeta'),
    ]),
    accountOus: {
      '111111111111': 'ou-ab12-00000001',
      '999999999999': 'ou-ab12-00000001',
      '555555555555': 'ou-ab12-00000001',
      '222222222222': 'ou-ab12-00000009',
    },
    ouNames: { 'ou-ab12-00000001': 'Sandboxes / Team B', 'ou-ab12-00000009': 'Sandboxes / Team A' },
  });
  expect(map.groups.map((group) => [group.ouName, group.accounts.map((account) => account.accountName)])).toEqual([
    ['Sandboxes / Team A', ['zeta']],
    ['Sandboxes / Team B', ['Build', 'sandbox-2', 'sandbox-10']],
  ]);
});

test("an OU below a target is named from the target down; the target's name, or its id when unknown", () => {
  const names = new Map([
    ['ou-ab12-00000001', 'Sandboxes'],
    ['ou-ab12-00000002', 'Team A'],
    ['ou-ab12-00000003', 'CI'],
  ]);
  const parents = new Map([
    ['ou-ab12-00000002', 'ou-ab12-00000001'],
    ['ou-ab12-00000003', 'ou-ab12-00000002'],
    ['ou-ab12-00000004', 'ou-ab12-00000008'],
  ]);
  expect(Object.fromEntries(ouPathNames(names, parents, ['ou-ab12-00000001', 'ou-ab12-00000008']))).toEqual({
    'ou-ab12-00000001': 'Sandboxes',
    'ou-ab12-00000002': 'Sandboxes / Team A',
    'ou-ab12-00000003': 'Sandboxes / Team A / CI',
    'ou-ab12-00000004': 'ou-ab12-00000008 / ou-ab12-00000004',
  });
  // A nested target names its own OUs from itself.
  expect(ouPathNames(names, parents, ['ou-ab12-00000001', 'ou-ab12-00000002']).get('ou-ab12-00000003')).toBe(
    'Team A / CI',
  );
});

test('the page is self-contained and escapes what the report holds', () => {
  const html = renderHtml(
    report([result('conflict', { accountName: '"><script>alert(1)</script>', message: 'a & b' })]),
  );
  expect(html).not.toMatch(/<script|<link|src=|href=|@import|url\(/i);
  expect(html).toContain(escapeHtml('"><script>alert(1)</script>'));
  expect(html).toContain('a &amp; b');
});

test('the table lists at most 500 rows a group (the map has every cell) unless every row is asked for; a worst night stays under 3 MB', () => {
  const worst = worstNight(largeReport());
  const html = renderHtml(worst);
  const repairedRows = worst.results.filter((row) => row.status === 'restored').length;
  expect(html).toContain(`<h3>Repaired (${formatCount(repairedRows)})</h3>`);
  expect(html).toContain(`… and ${formatCount(repairedRows - MAX_LISTED_ROWS_PER_GROUP)} more`);
  const failedRows = worst.results.filter((row) => row.status === 'access-denied').length;
  expect(failedRows).toBeGreaterThan(0);
  expect(html.match(/<td class="msg">/g)).toHaveLength(MAX_LISTED_ROWS_PER_GROUP + failedRows);
  expect(Buffer.byteLength(html)).toBeLessThan(3 * 1024 * 1024);
  expect(renderHtml(worst, { all: true }).match(/<td class="msg">/g)).toHaveLength(worst.results.length);
});

test('a whole-account row beside region rows keeps its letter by the name; a map of whole-account rows has a column for them', () => {
  const both = renderHtml(
    report([
      result('access-denied', { accountId: '111111111111', accountName: 'mixed' }),
      result('ok', { accountId: '111111111111', accountName: 'mixed', region: 'eu-west-1' }),
    ]),
  );
  expect(both).toContain(
    '<th scope="row"><span class="key k-failed" title="111111111111: access-denied — access-denied message">F</span> mixed (111111111111)</th><td class="k-ok"',
  );
  const accountsOnly = renderHtml(report([result('skipped', { accountId: '222222222222' })]));
  expect(accountsOnly).toContain('<th scope="col">account</th><th scope="col">whole account</th>');
  expect(accountsOnly).toContain('<td class="k-absent" title="222222222222: skipped — skipped message">–</td>');
});

test('a report carries the OUs of its own accounts only', () => {
  const sweep = report([result('ok', { accountId: '111111111111' })]);
  expect(
    withAccountOus(sweep, { '111111111111': 'ou-ab12-00000001', '222222222222': 'ou-ab12-00000002' }).accountOus,
  ).toEqual({
    '111111111111': 'ou-ab12-00000001',
  });
  expect(
    withAccountOus(
      sweep,
      { '111111111111': 'ou-ab12-00000001' },
      { 'ou-ab12-00000001': 'CI', 'ou-ab12-00000002': 'Prod' },
    ),
  ).toMatchObject({ accountOus: { '111111111111': 'ou-ab12-00000001' }, ouNames: { 'ou-ab12-00000001': 'CI' } });
  expect(withAccountOus(sweep, { '222222222222': 'ou-ab12-00000002' })).toBe(sweep);
  expect(withAccountOus(sweep, undefined)).toBe(sweep);
});
