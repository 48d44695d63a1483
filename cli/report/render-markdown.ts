import type { SweepReport, SweepResult } from '../../lambda/core/report';
import {
  attentionOf,
  formatCount,
  groupCounts,
  limitsOf,
  listedGroups,
  rowMessage,
  shownStatuses,
  verdictOf,
} from '../../lambda/report/attention';
import { displayText } from '../../lambda/report/display-text';

/**
 * The report as GitHub-flavoured Markdown, for a CI job summary ($GITHUB_STEP_SUMMARY) or a pull
 * request comment: a heading with the run, the counts, then one table per group, worst first
 * (with `all`, every row), and the verdict.
 */

/**
 * A table cell, safe to render whatever an account name or a CloudTrail record put in it: as
 * displayText shows it (one line, no bidirectional control); `|` and `\` escaped, link and image
 * syntax (`[ ] ( ) !`) escaped so that nothing becomes a link; `&`, `<` and `>` as entities (no
 * HTML, no autolink, and no character reference such as `&#x202E;` that would bring back a
 * control displayText took out).
 */
export function markdownCell(text: string): string {
  return displayText(text)
    .replaceAll('&', '&amp;')
    .replaceAll('\\', '\\\\')
    .replace(/[|[\]()!]/g, (character) => `\\${character}`)
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');
}

/**
 * Rows per group, at most: a job summary ($GITHUB_STEP_SUMMARY) is refused past 1 MiB; 200 rows
 * of every group stay well under it. A pull-request comment holds 65,536 characters: about 300 rows.
 */
export const MAX_MARKDOWN_ROWS_PER_GROUP = 200;

const account = (row: SweepResult) => (row.accountName ? `${row.accountName} (${row.accountId})` : row.accountId);

export function renderMarkdown(report: SweepReport, options: { readonly all?: boolean } = {}): string {
  const attention = attentionOf(report);
  const seconds = (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000;
  const accounts = new Set(report.results.map((row) => row.accountId)).size;
  const targets = report.results.filter((row) => row.region !== null).length;
  const mode = report.mode === 'report' ? 'dry run' : 'remediation';
  const counts = groupCounts(attention);
  const lines = [
    `### account-janitor ${mode}: ${formatCount(accounts)} accounts, ${formatCount(targets)} account-regions, ${seconds.toFixed(1)} s`,
    '',
    [
      counts
        ? `**${counts}**`
        : report.results.length === 0
          ? 'No account matched the selection.'
          : 'Nothing needs attention.',
      attention.quietLine ? `${options.all ? '' : 'Not listed: '}${attention.quietLine}.` : '',
    ]
      .filter(Boolean)
      .join(' · '),
  ];
  for (const { title, rows: all } of listedGroups(attention, options.all ?? false)) {
    const rows = all.slice(0, MAX_MARKDOWN_ROWS_PER_GROUP);
    lines.push(
      '',
      `#### ${markdownCell(title)} (${formatCount(all.length)})`,
      '',
      '| Account | Region | Status | Message |',
      '|---|---|---|---|',
    );
    for (const row of rows) {
      const cells = [account(row), row.region ?? '-', shownStatuses(row).join(', '), rowMessage(row)];
      lines.push(`| ${cells.map(markdownCell).join(' | ')} |`);
    }
    const more = all.length - rows.length;
    if (more > 0) lines.push('', `… and ${formatCount(more)} more (\`--output json\` has every row).`);
  }
  const limits = limitsOf(report).map((limit) => `> ${limit}`);
  // A blank line after the quote, or the verdict would be folded into it.
  lines.push('', ...(limits.length > 0 ? [...limits, ''] : []), verdictOf(report));
  return `${lines.join('\n')}\n`;
}
