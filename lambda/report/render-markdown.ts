import type { SweepReport, SweepResult } from '../core/report';
import { attentionOf, groupCounts, listedGroups, rowMessage, shownStatuses } from './attention';
import { limitsOf, verdictOf } from './render-table';

/**
 * The report as GitHub-flavoured Markdown, for a CI job summary ($GITHUB_STEP_SUMMARY) or a pull
 * request comment: a heading with the run, the counts, then one table per group, worst first
 * (with `all`, every row), and the verdict.
 */

/** A table cell: `|` and `\` escaped, `<` as an entity (no HTML from an account name), one line. */
export function markdownCell(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replaceAll('<', '&lt;').replace(/\r?\n/g, ' ');
}

const account = (row: SweepResult) => (row.accountName ? `${row.accountName} (${row.accountId})` : row.accountId);

export function renderMarkdown(report: SweepReport, options: { readonly all?: boolean } = {}): string {
  const attention = attentionOf(report);
  const seconds = (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000;
  const accounts = new Set(report.results.map((row) => row.accountId)).size;
  const targets = report.results.filter((row) => row.region !== null).length;
  const mode = report.mode === 'report' ? 'dry run' : 'remediation';
  const counts = groupCounts(attention);
  const lines = [
    `### account-janitor ${mode}: ${accounts} accounts, ${targets} account-regions, ${seconds.toFixed(1)} s`,
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
  for (const { title, rows } of listedGroups(attention, options.all ?? false)) {
    lines.push(
      '',
      `#### ${markdownCell(title)} (${rows.length})`,
      '',
      '| Account | Region | Status | Message |',
      '|---|---|---|---|',
    );
    for (const row of rows) {
      const cells = [account(row), row.region ?? '-', shownStatuses(row).join(', '), rowMessage(row)];
      lines.push(`| ${cells.map(markdownCell).join(' | ')} |`);
    }
  }
  lines.push('', ...limitsOf(report).map((limit) => `> ${limit}`), verdictOf(report));
  return `${lines.join('\n')}\n`;
}
