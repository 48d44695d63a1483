import { stripVTControlCharacters } from 'node:util';
import { EGRESS_STATUSES, SUBNET_STATUSES, SWEEP_STATUSES, type RowStatus } from '../../lambda/core/statuses';
import {
  ATTENTION_GROUPS,
  attentionOf,
  formatCount,
  groupOf,
  MAX_LISTED_ROWS_PER_GROUP,
} from '../../lambda/report/attention';
import { markdownCell, renderMarkdown } from '../../cli/report/render-markdown';
import { renderJson, renderSummary, renderTable } from '../../cli/report/render-table';
import { colorWanted } from '../../cli/report/style';
import { egress, report, result, subnets } from '../support/results';

/**
 * The CLI's human report (issue 15): what needs attention first, grouped worst first, the rest
 * counted; fitted to a terminal's width, never cut when piped; coloured only when wanted; and the
 * same as GitHub-flavoured Markdown.
 */

const LONG = `0.0.0.0/0 is missing; route to igw-1; ${'a very long explanation '.repeat(12)}the end`;

/** One row of every kind, in an order unlike the groups'. */
const mixed = report([
  result('ok', { accountId: '100000000001', accountName: 'ok-1', region: 'us-east-1' }),
  result('restored', { accountId: '100000000002', accountName: 'repaired', message: LONG }),
  result('conflict', { accountId: '100000000003', accountName: 'human', previousTarget: 'nat-1' }),
  result('would-restore', { accountId: '100000000004', accountName: 'planned' }),
  result('repair-failed', {
    accountId: '100000000005',
    accountName: 'broken-role',
    errorCode: 'UnauthorizedOperation',
  }),
  result('ok', { accountId: '100000000006', accountName: 'ok-2', region: 'eu-west-1' }),
  result('ignored', { accountId: '100000000007', accountName: 'tagged' }),
  result('region-disabled', { accountId: '100000000008', accountName: 'opted-out', region: 'me-south-1' }),
  result('ok', {
    accountId: '100000000009',
    accountName: 'misconfigured',
    subnets: subnets('subnets-misconfigured', { message: 'subnet-1 does not assign public IPs' }),
  }),
  result('ok', { accountId: '100000000010', accountName: 'stripped', egress: egress('egress-blocked') }),
  result('not-checked', { accountId: '100000000011', accountName: 'late' }),
  result('skipped', { accountId: '100000000012', accountName: 'excluded' }),
]);

const plain = (text: string) => stripVTControlCharacters(text);
const tableLines = (text: string) => {
  const lines = plain(text).split('\n');
  return lines.slice(
    lines.findIndex((line) => line.startsWith('ACCOUNT')),
    lines.indexOf(''),
  );
};

describe('attention first', () => {
  test('every status a row can carry is either in an attention group or counted: none vanishes', () => {
    const all: RowStatus[] = [...SWEEP_STATUSES, ...SUBNET_STATUSES, ...EGRESS_STATUSES];
    const grouped = new Set(ATTENTION_GROUPS.flatMap((group) => group.statuses));
    const counted = ['ok', 'ignored', 'no-default-vpc', 'region-disabled', 'region-denied', 'skipped'];
    const healthyParts = ['subnets-ok', 'egress-ok', 'egress-ignored'];
    expect(
      all.filter((status) => !grouped.has(status) && !counted.includes(status) && !healthyParts.includes(status)),
    ).toEqual([]);
  });

  test('groups worst first, each row once, in its worst group; the rest counted in one line', () => {
    const attention = attentionOf(mixed);
    expect(attention.groups.map(({ group, rows }) => [group.key, rows.map((row) => row.accountName)])).toEqual([
      ['failed', ['broken-role']],
      ['not-checked', ['late']],
      ['conflict', ['human']],
      ['broken', ['stripped']],
      ['would-repair', ['planned']],
      ['findings', ['misconfigured']],
      ['repaired', ['repaired']],
    ]);
    expect(attention.quietLine).toBe('2 account-regions ok, 1 ignored, 1 region disabled, 1 account skipped');
    // A row whose route was repaired but whose egress failed is a failure first.
    expect(groupOf(result('restored', { egress: egress('egress-repair-failed') }))?.key).toBe('failed');
    // Egress put back beside a person's narrowing is a repair, not a finding.
    expect(groupOf(result('ok', { egress: egress('egress-restored') }))?.key).toBe('repaired');
    expect(groupOf(result('ok', { subnets: subnets('subnets-ok'), egress: egress('egress-ok') }))).toBeUndefined();
  });

  test('counts read as numbers do at scale', () => {
    const rows = Array.from({ length: 16_802 }, (_, index) =>
      result('ok', { accountId: String(index).padStart(12, '0') }),
    );
    expect(attentionOf(report(rows)).quietLine).toBe('16,802 account-regions ok');
  });

  test('the table lists the groups under their headings, then what it did not list and how to see it', () => {
    const lines = plain(renderTable(mixed)).split('\n');
    expect(lines[0]).toMatch(/^ACCOUNT\s+REGION\s+STATUS\s+MESSAGE$/);
    const headings = lines.filter((line) => /\(\d+\)$/.test(line));
    expect(headings).toEqual([
      'Failed (1)',
      'Not checked: the deadline came first (1)',
      'Conflict: a person pointed 0.0.0.0/0 elsewhere, left alone (1)',
      'Broken, left alone: its repair switch is off (1)',
      'Would repair: dry run, or beyond the repair cap (1)',
      'Report-only findings: never changed, fix by hand or leave as intended (1)',
      'Repaired (1)',
    ]);
    expect(lines).toContain(
      'Not listed: 2 account-regions ok, 1 ignored, 1 region disabled, 1 account skipped (--all lists every row).',
    );
    expect(lines.find((line) => line.startsWith('stripped'))).toMatch(
      /^stripped \(100000000010\)\s+eu-west-1\s+egress-blocked\s+egress: egress-blocked message$/,
    );
    expect(lines.join('\n')).not.toContain('ok-1');
  });

  test('--all lists every row, the counted ones last', () => {
    const lines = plain(renderTable(mixed, { all: true })).split('\n');
    expect(lines).toContain('No attention needed (5)');
    expect(lines.filter((line) => /^\w[\w-]* \(1000000000\d\d\)/.test(line))).toHaveLength(12);
    expect(lines.join('\n')).not.toContain('Not listed');
  });

  test('nothing to list: it says so, and counts the rest', () => {
    const text = renderTable(report([result('ok'), result('ok', { region: 'us-east-1' })]));
    expect(text).toContain('Nothing needs attention.\n\nNot listed: 2 account-regions ok (--all lists every row).');
    expect(text).not.toContain('ACCOUNT');
  });

  test('an empty selection says so', () => {
    expect(renderTable(report([]))).toContain('No account matched the selection.');
  });
});

describe('fitted to the terminal', () => {
  test.each([80, 120, 200])('at %i columns no table line is wider, and long messages end in …', (columns) => {
    const lines = tableLines(renderTable(mixed, { columns, color: true }));
    expect(lines.length).toBeGreaterThan(8);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(columns);
    expect(lines.find((line) => line.startsWith('repaired'))).toMatch(/…$/);
  });

  /** Rows with every part switched on: three statuses in a cell. */
  const layered = report([
    ...mixed.results,
    result('restored', {
      accountId: '100000000013',
      accountName: 'all-three',
      message: LONG,
      subnets: subnets('subnets-restored', { zonesRepaired: ['eu-west-1c'] }),
      egress: egress('egress-restored'),
    }),
  ]);

  test.each([80, 120, 200])(
    'at %i columns, with three statuses on a row, no line at all is wider: headings, counts and summary wrap',
    (columns) => {
      const lines = plain(renderTable(layered, { columns, color: true })).split('\n');
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(columns);
      expect(lines.join('\n')).toContain('restored, subnets-restored, egress-restored');
    },
  );

  test('too narrow for the message beside three statuses: the message goes on its own line, cut to the width', () => {
    const lines = plain(renderTable(layered, { columns: 80 })).split('\n');
    expect(lines[0]).toMatch(/^ACCOUNT\s+REGION\s+STATUS$/);
    expect(lines[1]).toBe('    MESSAGE');
    const at = lines.findIndex((line) => line.startsWith('all-three'));
    expect(lines[at]).toMatch(/^all-three \(100000000013\)\s+eu-west-1\s+restored, subnets-restored, egress-restored$/);
    expect(lines[at + 1]).toMatch(/^ {4}0\.0\.0\.0\/0 is missing; route to igw-1; a very long.*…$/);
    expect(lines[at + 1]).toHaveLength(80);
  });

  test('a terminal that reports no width (0 columns) is not fitted', () => {
    expect(plain(renderTable(mixed, { columns: 0 }))).toContain(LONG);
  });

  test('at scale: 150,000 rows listed with --all, without a stack overflow', () => {
    const rows = Array.from({ length: 150_000 }, (_, index) =>
      result(index % 2 === 0 ? 'ok' : 'restored', { accountId: String(index).padStart(12, '0') }),
    );
    const text = renderTable(report(rows), { all: true });
    expect(text).toContain('Repaired (75,000)');
    expect(text).toContain('No attention needed (75,000)');
  });

  test('a long group lists MAX_LISTED_ROWS_PER_GROUP rows and says how many more; --all lists them all', () => {
    const rows = [
      ...Array.from({ length: MAX_LISTED_ROWS_PER_GROUP + 1_234 }, (_, index) =>
        result('restored', { accountId: String(index).padStart(12, '0') }),
      ),
      result('repair-failed', { accountId: '999999999999' }),
    ];
    const listed = (text: string) => text.split('\n').filter((line) => /\(\d{12}\)|^\d{12} /.test(line)).length;

    const text = plain(renderTable(report(rows)));
    expect(text).toContain(`Repaired (${formatCount(MAX_LISTED_ROWS_PER_GROUP + 1_234)})`);
    expect(listed(text)).toBe(MAX_LISTED_ROWS_PER_GROUP + 1);
    expect(text).toContain('  … and 1,234 more (--all lists them, --json has every row).');
    expect(text).toContain(
      `Summary: remediation, ${formatCount(rows.length)} accounts, ${formatCount(rows.length)} account-regions`,
    );

    const all = plain(renderTable(report(rows), { all: true }));
    expect(listed(all)).toBe(rows.length);
    expect(all).not.toContain('more (--all');
  });

  test('a long account name is cut on a terminal, not the account id', () => {
    const named = report([result('restored', { accountName: 'x'.repeat(60), accountId: '123456789012' })]);
    const row = tableLines(renderTable(named, { columns: 120 })).find((line) => line.includes('123456789012'));
    expect(row).toMatch(/^x{23}… \(123456789012\)/);
  });

  test('piped (no width): nothing is cut', () => {
    expect(plain(renderTable(mixed))).toContain(LONG);
  });

  test('--wide adds VPC, route table, gateway and the previous target, and cuts nothing even on a terminal', () => {
    const text = plain(renderTable(mixed, { wide: true, columns: 80 }));
    expect(text.split('\n')[0]).toMatch(/^ACCOUNT\s+REGION\s+STATUS\s+VPC\s+ROUTE TABLE\s+GATEWAY\s+BEFORE\s+MESSAGE$/);
    expect(text).toContain(LONG);
    expect(text).toMatch(/human \(100000000003\)\s+eu-west-1\s+conflict\s+vpc-1\s+rtb-1\s+igw-1\s+nat-1\s+/);
    expect(text).toMatch(/repaired \(100000000002\)\s+eu-west-1\s+restored\s+vpc-1\s+rtb-1\s+igw-1\s+\(none\)\s+/);
  });
});

describe('colour', () => {
  test('statuses are coloured by group and headings bold when wanted; the text is the same', () => {
    const coloured = renderTable(mixed, { color: true });
    expect(coloured).toContain('\u001b[31mrepair-failed\u001b[39m');
    expect(coloured).toContain('\u001b[32mrestored\u001b[39m');
    expect(coloured).toContain('\u001b[1mFailed (1)\u001b[22m');
    expect(plain(coloured)).toBe(renderTable(mixed, { color: false }));
    expect(renderTable(mixed)).not.toContain('\u001b[');
  });

  test.each<[string, Record<string, string>, boolean, boolean]>([
    ['a terminal', {}, true, true],
    ['a pipe', {}, false, false],
    ['NO_COLOR on a terminal', { NO_COLOR: '1' }, true, false],
    ['NO_COLOR set, even empty (as Node reads it)', { NO_COLOR: '' }, true, false],
    ['NODE_DISABLE_COLORS', { NODE_DISABLE_COLORS: '1' }, true, false],
    ['FORCE_COLOR=true', { FORCE_COLOR: 'true' }, false, true],
    ['FORCE_COLOR=no (Node: any other value is off)', { FORCE_COLOR: 'no' }, true, false],
    ['TERM=dumb', { TERM: 'dumb' }, true, false],
    ['FORCE_COLOR into a pipe', { FORCE_COLOR: '1' }, false, true],
    ['FORCE_COLOR over NO_COLOR (as Node does)', { FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
    ['FORCE_COLOR=0 on a terminal', { FORCE_COLOR: '0' }, true, false],
  ])('%s', (_, env, tty, expected) => {
    expect(colorWanted(env, tty)).toBe(expected);
  });
});

describe('the summary', () => {
  test('counts statuses, accounts and account-regions, and says what needs attention', () => {
    expect(renderSummary(mixed).split('\n')[0]).toBe('Summary: remediation, 12 accounts, 11 account-regions, 12.5 s');
    expect(renderSummary(report([result('ok')], 'report'))).toContain('dry run (report mode)');
    expect(renderSummary(report([result('ok')]))).toContain('Nothing is left broken.');
    expect(renderSummary(report([result('conflict')]))).toContain('1 row needs attention (conflict).');
    // The statuses named worst first, as the groups are, whatever the rows' order.
    const both = report([result('conflict'), result('repair-failed', { accountId: '999999999999' })]);
    expect(renderSummary(both)).toContain('2 rows need attention (repair-failed, conflict).');
    // Thousands separated, as every other count.
    const many = report(
      Array.from({ length: 1_200 }, (_, index) => result('conflict', { accountId: String(index).padStart(12, '0') })),
    );
    expect(renderSummary(many)).toContain('1,200 rows need attention (conflict).');
  });

  test('says when the repair cap or the deadline cut the run short', () => {
    const capped = {
      ...report([result('would-restore'), result('not-checked', { region: 'us-east-1' })]),
      repairCapReached: true,
    };
    expect(renderSummary(capped)).toContain('The repair cap was reached');
    expect(renderSummary(capped)).toContain('The deadline was reached');
    expect(renderSummary(report([result('ok')]))).not.toContain('was reached');
  });

  test('the default subnets and egress counts, when checked', () => {
    const checked = report([
      result('ok', {
        subnets: subnets('subnets-restored', { zonesRepaired: ['eu-west-1c'] }),
        egress: egress('egress-ok'),
      }),
    ]);
    expect(renderSummary(checked)).toContain('  default subnets: 1 subnets-restored\n  egress: 1 egress-ok');
  });
});

describe('Markdown', () => {
  test('the counts, then one GitHub table per group, worst first, and the verdict', () => {
    const text = renderMarkdown(mixed);
    const lines = text.split('\n');
    expect(lines[0]).toBe('### account-janitor remediation: 12 accounts, 11 account-regions, 12.5 s');
    expect(lines[2]).toBe(
      '**1 failed, 1 not checked, 1 in conflict, 1 left broken, 1 to repair, 1 with findings, 1 repaired** · Not listed: 2 account-regions ok, 1 ignored, 1 region disabled, 1 account skipped.',
    );
    expect(lines.filter((line) => line.startsWith('#### '))[0]).toBe('#### Failed (1)');
    expect(text).toContain(
      '#### Failed (1)\n\n| Account | Region | Status | Message |\n|---|---|---|---|\n| broken-role \\(100000000005\\) | eu-west-1 | repair-failed | repair-failed message |\n',
    );
    expect(text).toContain(LONG);
    expect(lines.at(-2)).toMatch(/^6 rows need attention \(/);
  });

  test('a | in a name or message does not break the table; nor does a newline or HTML', () => {
    expect(markdownCell('a|b')).toBe('a\\|b');
    expect(markdownCell('old\rmac')).toBe('old mac');
    expect(markdownCell('C:\\path|x')).toBe('C:\\\\path\\|x');
    expect(markdownCell('two\nlines')).toBe('two lines');
    expect(markdownCell('<img src=x>')).toBe('&lt;img src=x&gt;');
    const piped = renderMarkdown(report([result('conflict', { accountName: 'team|a', message: 'to nat|1' })]));
    const row = piped.split('\n').find((line) => line.startsWith('| team'));
    expect(row).toBe('| team\\|a \\(111122223333\\) | eu-west-1 | conflict | to nat\\|1 |');
    // Unescaped pipes split a row into cells: exactly the four, plus the edges.
    expect(row?.split(/(?<!\\)\|/)).toHaveLength(6);
  });

  test('link and image syntax from a name, a message or a user agent renders as text, never as a link', () => {
    expect(markdownCell('[Re-authenticate](https://attacker.example/sso)')).toBe(
      '\\[Re-authenticate\\]\\(https://attacker.example/sso\\)',
    );
    expect(markdownCell('![x](https://attacker.example/p.png)')).toBe('\\!\\[x\\]\\(https://attacker.example/p.png\\)');
    expect(markdownCell('<https://attacker.example>')).toBe('&lt;https://attacker.example&gt;');
    const lure = renderMarkdown(
      report([
        result('conflict', { accountName: '[Pay here](https://x.example)', message: '![a](https://x.example/b)' }),
      ]),
    );
    // No unescaped "[" or "](" survives: no link, no image.
    expect(lure).not.toMatch(/(?<!\\)\[|(?<!\\)\]\(/);
  });

  test('the verdict is not folded into the quote of what cut the run short', () => {
    const capped = { ...report([result('would-restore')]), repairCapReached: true };
    expect(renderMarkdown(capped)).toContain('(raise --max-repairs).\n\n1 row needs attention (would-restore).\n');
  });

  test('a huge group is cut at 200 rows and says how many more', () => {
    const rows = Array.from({ length: 1_000 }, (_, index) =>
      result('repair-failed', { accountId: String(index).padStart(12, '0') }),
    );
    const text = renderMarkdown(report(rows));
    expect(text).toContain('#### Failed (1,000)');
    expect(text.split('\n').filter((line) => line.startsWith('| sandbox-1 \\('))).toHaveLength(200);
    expect(text).toContain('… and 800 more (`--output json` has every row).');
    expect(Buffer.byteLength(text)).toBeLessThan(1024 * 1024);
  });

  test('--all adds the rest as a last table; an empty selection and a clean run say so', () => {
    expect(renderMarkdown(mixed, { all: true })).toContain('#### No attention needed (5)');
    expect(renderMarkdown(report([]))).toContain('No account matched the selection.');
    expect(renderMarkdown(report([result('ok')]))).toContain(
      'Nothing needs attention. · Not listed: 1 account-region ok.',
    );
  });
});

describe('renderJson', () => {
  test('prints exactly the report', () => {
    const sweep = report([result('ok')]);
    expect(JSON.parse(renderJson(sweep))).toEqual(sweep);
  });
});
