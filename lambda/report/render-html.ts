import type { SweepReport, SweepResult } from '../core/report';
import {
  attentionOf,
  formatCount,
  groupCounts,
  limitsOf,
  listedGroups,
  MAX_LISTED_ROWS_PER_GROUP,
  rowMessage,
  shownStatuses,
  verdictOf,
} from './attention';
import { displayText } from './display-text';
import {
  CELL_KINDS,
  heatmapOf,
  MAX_MAP_CELLS,
  type CellKind,
  type HeatmapAccount,
  type HeatmapCell,
  type NotDrawn,
} from './heatmap';

/**
 * The report as one self-contained HTML page a person opens (the CLI's `--output html`, the
 * nightly function's `htmlReport`): the verdict and counts, a heatmap of accounts × regions (at
 * most MAX_MAP_CELLS cells: past them the worst accounts, the rest counted), then the attention
 * table as the terminal shows it (with `all`, every row). No script, no external
 * style, font or image: it works offline, as a CI artifact or from S3. Every text from the report
 * (account names, messages, CloudTrail's words) is escaped, and shown as displayText makes it; the
 * page's Content-Security-Policy refuses any script, fetch, form or base a slip could let in.
 */

/**
 * The page's policy: nothing may load or run but its own inline style sheet. In a `<meta
 * http-equiv>`, so it travels with the file: an S3 object's metadata sets only the standard headers
 * (Content-Type, Cache-Control…) and `x-amz-meta-*`, never a Content-Security-Policy, and the page
 * is opened from a download, a CI artifact or the S3 console.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/** Each kind's colours: the letter on its background meets WCAG AA (4.5:1) for normal text. */
export const CELL_COLOURS: Readonly<Record<CellKind, { readonly background: string; readonly text: string }>> = {
  failed: { background: '#b3261e', text: '#ffffff' },
  'not-checked': { background: '#4a4f55', text: '#ffffff' },
  person: { background: '#6a1b9a', text: '#ffffff' },
  drift: { background: '#f9a825', text: '#000000' },
  repaired: { background: '#1565c0', text: '#ffffff' },
  ignored: { background: '#d7ccc8', text: '#000000' },
  absent: { background: '#eeeeee', text: '#3c4043' },
  ok: { background: '#c8e6c9', text: '#1b5e20' },
};

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe in an element and in a quoted attribute, as displayText shows it. */
export function escapeHtml(text: string): string {
  return displayText(text).replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

const STYLE = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111;background:#fff;margin:1.5rem}
h1{font-size:1.4rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}h3{font-size:1rem;margin:1rem 0 .25rem}
.verdict{font-size:1.1rem;font-weight:600}.meta{color:#3c4043}
.legend{display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:0;list-style:none}
.legend li{display:flex;align-items:center;gap:.35rem}
.key{display:inline-block;width:1.4em;text-align:center;font-weight:700;border:1px solid #0003}
table.map{border-collapse:collapse;table-layout:fixed;font:12px/1 ui-monospace,Menlo,Consolas,monospace}
.map th{font-weight:400;text-align:left;padding:0 .4rem 0 0;white-space:nowrap;color:#3c4043}
.map thead th{writing-mode:vertical-rl;transform:rotate(180deg);padding:.25rem 0;height:7.5em;text-align:left;position:sticky;top:0;background:#fff}
.map thead th:first-child{writing-mode:horizontal-tb;transform:none;vertical-align:bottom}
.map th.ou{font:600 14px/1.4 system-ui,sans-serif;color:#111;padding:.75rem 0 .25rem}
.map td{width:1.3em;height:1.3em;text-align:center;border:1px solid #fff;padding:0}
.map td:focus{outline:3px solid #000;outline-offset:-1px}
.map td[tabindex]:focus::after{content:attr(title);position:fixed;left:1rem;bottom:1rem;max-width:60rem;padding:.5rem .75rem;background:#111;color:#fff;font:13px/1.4 system-ui,sans-serif;text-align:left;z-index:1}
table.rows{border-collapse:collapse;margin-bottom:1rem}
.rows th,.rows td{border-bottom:1px solid #ddd;padding:.25rem .6rem;text-align:left;vertical-align:top}
.rows td.msg{max-width:60rem}
${CELL_KINDS.map(({ key }) => `.k-${key}{background:${CELL_COLOURS[key].background};color:${CELL_COLOURS[key].text}}`).join('\n')}
`;

const LETTER = new Map(CELL_KINDS.map((kind) => [kind.key, kind.letter]));

/** A cell: its letter, its kind's colours, its title; focusable when it needs attention. */
function cellHtml(cell: HeatmapCell | null, colspan?: number): string {
  if (!cell) return '<td></td>';
  const span = colspan && colspan > 1 ? ` colspan="${colspan}"` : '';
  const focus = cell.kind === 'ok' || cell.kind === 'absent' ? '' : ' tabindex="0"';
  return `<td class="k-${cell.kind}"${span}${focus} title="${escapeHtml(cell.title)}">${LETTER.get(cell.kind) ?? ''}</td>`;
}

function accountRowHtml(account: HeatmapAccount, regionCount: number): string {
  const label = account.accountName ? `${account.accountName} (${account.accountId})` : account.accountId;
  const cells =
    'account' in account.cells
      ? cellHtml(account.cells.account, regionCount)
      : account.cells.map((cell) => cellHtml(cell)).join('');
  // A whole-account row beside the region rows: its letter by the name, with its title.
  const whole = account.accountCell
    ? `<span class="key k-${account.accountCell.kind}" title="${escapeHtml(account.accountCell.title)}">${LETTER.get(account.accountCell.kind) ?? ''}</span> `
    : '';
  return `<tr><th scope="row">${whole}${escapeHtml(label)}</th>${cells}</tr>`;
}

const accountCount = (count: number) => `${formatCount(count)} account${count === 1 ? '' : 's'}`;

/** "1,234 more not drawn", "9,812 all ok or with nothing to check, not shown": what the map left out. */
function notDrawnText({ quiet, beyond }: NotDrawn): string[] {
  return [
    ...(beyond > 0 ? [`${formatCount(beyond)} more not drawn`] : []),
    ...(quiet > 0 ? [`${formatCount(quiet)} all ok or with nothing to check, not shown`] : []),
  ];
}

function heatmapHtml(report: SweepReport): string[] {
  const map = heatmapOf(report);
  const legend = CELL_KINDS.map(
    ({ key, letter, label }) =>
      `<li><span class="key k-${key}" aria-hidden="true">${letter}</span>${escapeHtml(label)}: ${formatCount(map.counts[key])}</li>`,
  );
  const hidden = notDrawnText(map.notDrawn);
  const drawn = map.groups.reduce((sum, group) => sum + group.accounts.length, 0);
  const accounts = drawn + map.notDrawn.quiet + map.notDrawn.beyond;
  // Only whole-account rows (every account skipped or denied): one column for them.
  const columns = map.regions.length > 0 ? map.regions : ['whole account'];
  const width = columns.length;
  const head = `<thead><tr><th scope="col">account</th>${columns.map((region) => `<th scope="col">${escapeHtml(region)}</th>`).join('')}</tr></thead>`;
  // One table, its regions' heading once (it stays on screen), a body per OU.
  const groups = map.groups.map(({ ouId, ouName, accounts, notDrawn }) => {
    const heading = ouId
      ? `OU ${ouName ? `${ouName} (${ouId})` : ouId}`
      : 'Accounts named by id, or of the whole organization';
    const all = accounts.length + (notDrawn ? notDrawn.quiet + notDrawn.beyond : 0);
    const left = notDrawn ? notDrawnText(notDrawn) : [];
    const count =
      left.length > 0
        ? `${accountCount(all)}: ${[`${formatCount(accounts.length)} drawn`, ...left].join('; ')}`
        : accountCount(all);
    const rows = accounts.map((account) => accountRowHtml(account, width)).join('\n');
    return `<tbody><tr><th class="ou" scope="rowgroup" colspan="${width + 1}">${escapeHtml(heading)} (${count})</th></tr>
${rows}
</tbody>`;
  });
  return [
    '<h2>Accounts × regions</h2>',
    '<p class="meta">Each cell is an account-region, coloured and lettered by the worst of its statuses; hover a cell, or focus one that needs attention with Tab, for its account, region, statuses and message.</p>',
    ...(hidden.length > 0
      ? [
          `<p class="meta">${escapeHtml(`The map draws at most ${formatCount(MAX_MAP_CELLS)} account-regions, the worst accounts first: of its ${accountCount(accounts)}, ${[`${formatCount(drawn)} drawn`, ...hidden].join('; ')}. The legend counts every account-region; the table below lists what needs attention, --output json has the whole report.`)}</p>`,
        ]
      : []),
    `<ul class="legend">${legend.join('')}</ul>`,
    `<table class="map">${head}`,
    ...groups,
    '</table>',
  ];
}

const account = (row: SweepResult) => (row.accountName ? `${row.accountName} (${row.accountId})` : row.accountId);

function rowHtml(row: SweepResult): string {
  return `<tr><td>${escapeHtml(account(row))}</td><td>${escapeHtml(row.region ?? '')}</td><td>${escapeHtml(shownStatuses(row).join(', '))}</td><td class="msg">${escapeHtml(rowMessage(row))}</td></tr>`;
}

function rowsHtml(report: SweepReport, all: boolean): string[] {
  const sections = listedGroups(attentionOf(report), all);
  if (sections.length === 0) return [];
  return [
    `<h2>${all ? 'Every account-region' : 'What needs attention'}</h2>`,
    ...sections.map(({ title, rows }) => {
      const shown = all ? rows : rows.slice(0, MAX_LISTED_ROWS_PER_GROUP);
      const more = rows.length - shown.length;
      return `<h3>${escapeHtml(title)} (${formatCount(rows.length)})</h3>
<table class="rows"><thead><tr><th scope="col">account</th><th scope="col">region</th><th scope="col">status</th><th scope="col">message</th></tr></thead><tbody>
${shown.map(rowHtml).join('\n')}
</tbody></table>${more > 0 ? `\n<p class="meta">… and ${formatCount(more)} more: --all lists them, --output json has the whole report.</p>` : ''}`;
    }),
  ];
}

export function renderHtml(report: SweepReport, options: { readonly all?: boolean } = {}): string {
  const attention = attentionOf(report);
  const accounts = new Set(report.results.map((row) => row.accountId)).size;
  const targets = report.results.filter((row) => row.region !== null).length;
  const mode = report.mode === 'report' ? 'dry run' : 'remediation';
  const seconds = (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000;
  const counts = groupCounts(attention);
  const title = `account-janitor ${mode}, ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="meta">${escapeHtml(
    [
      report.organizationId ? `organization ${report.organizationId}` : '',
      `${formatCount(accounts)} accounts, ${formatCount(targets)} account-regions`,
      `${report.startedAt} to ${report.finishedAt} (${seconds.toFixed(1)} s)`,
    ]
      .filter(Boolean)
      .join(' · '),
  )}</p>
<p class="verdict">${escapeHtml(verdictOf(report))}</p>
<p>${escapeHtml([counts, attention.quietLine].filter(Boolean).join('; ') || 'No account matched the selection.')}</p>
${limitsOf(report)
  .map((limit) => `<p>${escapeHtml(limit)}</p>`)
  .join('\n')}
${report.results.length > 0 ? heatmapHtml(report).join('\n') : ''}
${rowsHtml(report, options.all ?? false).join('\n')}
</body>
</html>
`;
}
