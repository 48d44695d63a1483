import type { SweepReport, SweepResult } from '../../lambda/core/report';
import { PART_KEYS, ROW_PARTS } from '../../lambda/core/row-parts';
import { statusesOfPart, SWEEP_STATUSES } from '../../lambda/core/statuses';
import {
  attentionOf,
  formatCount,
  groupOf,
  limitsOf,
  listedGroups,
  MAX_LISTED_ROWS_PER_GROUP,
  rowMessage,
  shownStatuses,
  verdictOf,
} from '../../lambda/report/attention';
import { displayText } from '../../lambda/report/display-text';
import { painter } from './style';

/**
 * The CLI's human-readable report: what needs a person first, grouped worst first (attention.ts),
 * at most MAX_LISTED_ROWS_PER_GROUP rows a group (`all`: every row), one line counting the rest,
 * then a summary and a verdict. On a terminal it fits the width
 * (`columns`): account, region, status and a message cut to what is left; `wide` adds VPC, route
 * table, gateway and the previous target, uncut. Piped output (no `columns`) is never cut. An
 * account's name and a message are shown as displayText makes them (no control character, no
 * bidirectional control), before their width is measured.
 */

export interface TableOptions {
  /** List every row, not only those that need attention, and every row of a long group. */
  readonly all?: boolean;
  /** Add VPC, route table, gateway and previous target, and cut nothing. */
  readonly wide?: boolean;
  /** The terminal's width; `undefined` (piped) never cuts. */
  readonly columns?: number | undefined;
  readonly color?: boolean;
}

interface Column {
  readonly title: string;
  readonly value: (row: SweepResult) => string;
}

/** An account's name is cut to at most this on a terminal, so one long name does not push every message off. */
const NAME_WIDTH = 24;
/** Nor shorter than this, however narrow the terminal. */
const MIN_NAME_WIDTH = 8;
/** A message is never cut shorter than this: a narrow terminal wraps instead. */
const MIN_MESSAGE_WIDTH = 20;
const GAP = '  ';
/** A stacked row's message line starts with this. */
const INDENT = '    ';

const cut = (text: string, width: number) => (text.length <= width ? text : `${text.slice(0, width - 1)}…`);

function columnsFor(options: TableOptions, nameWidth: number): Column[] {
  return [
    {
      title: 'ACCOUNT',
      value: (row) =>
        row.accountName ? `${cut(displayText(row.accountName), nameWidth)} (${row.accountId})` : row.accountId,
    },
    { title: 'REGION', value: (row) => row.region ?? '-' },
    { title: 'STATUS', value: (row) => shownStatuses(row).join(', ') },
    ...(options.wide
      ? [
          { title: 'VPC', value: (row: SweepResult) => row.vpcId ?? '-' },
          { title: 'ROUTE TABLE', value: (row: SweepResult) => row.routeTableId ?? '-' },
          { title: 'GATEWAY', value: (row: SweepResult) => row.internetGatewayId ?? '-' },
          {
            title: 'BEFORE',
            value: (row: SweepResult) => row.previousTarget ?? (row.routeTableId ? '(none)' : '-'),
          },
        ]
      : []),
    { title: 'MESSAGE', value: (row) => displayText(rowMessage(row)) },
  ];
}

const widthsOf = (columns: readonly Column[], cells: readonly (readonly string[])[]) =>
  columns.map((column, index) => {
    let width = column.title.length;
    for (const row of cells) width = Math.max(width, row[index]?.length ?? 0);
    return width;
  });

/** Greedy word wrap of a prose line to the width; continuation lines indented by two spaces. */
export function wrap(text: string, width: number): string[] {
  if (text.length <= width) return [text];
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    const next = current ? `${current} ${word}` : word;
    if (next.length > width && current.trim()) {
      lines.push(current);
      current = `  ${word}`;
    } else current = next;
  }
  return [...lines, current];
}

export function renderTable(report: SweepReport, options: TableOptions = {}): string {
  const width = options.columns !== undefined && options.columns > 0 && !options.wide ? options.columns : undefined;
  const prose = (text: string) =>
    width === undefined ? [text] : text.split('\n').flatMap((line) => wrap(line, width));
  const summary = prose(renderSummary(report)).join('\n');
  if (report.results.length === 0) return `${renderHeader(report)}No account matched the selection.\n\n${summary}\n`;
  const attention = attentionOf(report);
  const groups = listedGroups(attention, options.all ?? false).map((group) => ({
    ...group,
    shown: options.all ? group.rows : group.rows.slice(0, MAX_LISTED_ROWS_PER_GROUP),
  }));
  const paint = painter(options.color ?? false);
  const rows = groups.flatMap((group) => group.shown);
  // On a terminal, names give way first (down to MIN_NAME_WIDTH), then the message (down to its
  // minimum); when even that does not fit (several statuses on a row), the message goes on a line
  // of its own and the names get back what the message gave up.
  const ID_WIDTH = ' (123456789012)'.length;
  let nameWidth = Number.POSITIVE_INFINITY;
  let stacked = false;
  if (width !== undefined) {
    // What the region and status columns take is known before the names are cut.
    // Account, region and status only: the messages are not made twice.
    const leading = columnsFor(options, NAME_WIDTH).slice(0, 3);
    const [, region, status] = widthsOf(
      leading,
      rows.map((row) => leading.map((column) => column.value(row))),
    );
    const others = (region ?? 0) + (status ?? 0) + 2 * GAP.length;
    const nameRoom = (room: number) => Math.min(NAME_WIDTH, Math.max(MIN_NAME_WIDTH, room));
    nameWidth = nameRoom(width - others - GAP.length - MIN_MESSAGE_WIDTH - ID_WIDTH);
    stacked = others + MIN_NAME_WIDTH + ID_WIDTH + GAP.length + MIN_MESSAGE_WIDTH > width;
    if (stacked) nameWidth = nameRoom(width - others - ID_WIDTH);
  }
  const columns = columnsFor(options, nameWidth);
  const cells = groups.map((group) => group.shown.map((row) => columns.map((column) => column.value(row))));
  const widths = widthsOf(columns, cells.flat());
  const messageAt = widths.slice(0, -1).reduce((sum, columnWidth) => sum + columnWidth + GAP.length, 0);
  const messageWidth =
    width === undefined ? Number.POSITIVE_INFINITY : stacked ? width - INDENT.length : width - messageAt;
  const statusIndex = columns.findIndex((column) => column.title === 'STATUS');
  const line = (values: readonly string[], row?: SweepResult): string[] => {
    const message = values.at(-1) ?? '';
    const before = values.slice(0, -1);
    const cellsText = before.map((value, index) => {
      const last = index === before.length - 1 && stacked;
      const shown =
        last && width !== undefined ? cut(value, width - messageAt + (widths[index] ?? 0) + GAP.length) : value;
      const padding = last ? '' : ' '.repeat((widths[index] ?? 0) - value.length);
      return (index === statusIndex && row ? paint.status(shown, groupOf(row)) : shown) + padding;
    });
    if (!stacked) return [[...cellsText, cut(message, messageWidth)].join(GAP).trimEnd()];
    return [cellsText.join(GAP).trimEnd(), `${INDENT}${cut(message, messageWidth)}`];
  };

  const lines: string[] = [];
  if (groups.length > 0) lines.push(...line(columns.map((column) => column.title)));
  groups.forEach(({ title, rows: listed, shown }, index) => {
    lines.push(...prose(`${title} (${formatCount(listed.length)})`).map((text) => paint.heading(text)));
    shown.forEach((row, rowIndex) => lines.push(...line(cells[index]?.[rowIndex] ?? [], row)));
    const more = listed.length - shown.length;
    if (more > 0) lines.push(...prose(`  … and ${formatCount(more)} more (--all lists them, --json has every row).`));
  });
  if (attention.groups.length === 0) lines.push('Nothing needs attention.');
  if (attention.quietLine && !options.all) {
    lines.push('', ...prose(`Not listed: ${attention.quietLine} (--all lists every row).`));
  }
  return `${renderHeader(report)}${lines.join('\n')}\n\n${summary}\n`;
}

/** Where the run ran: its organization and the caller's account (when known). */
export function renderHeader(report: SweepReport): string {
  if (!report.organizationId && !report.callerAccountId) return '';
  return `Organization ${report.organizationId ?? 'unknown'}, caller account ${report.callerAccountId ?? 'unknown'}\n\n`;
}

/** "3 ok, 1 restored": the non-zero counts of a summary, in the statuses' order. */
function counted<S extends string>(statuses: readonly S[], counts: Readonly<Record<S, number>>): string {
  return statuses
    .filter((status) => counts[status] > 0)
    .map((status) => `${formatCount(counts[status])} ${status}`)
    .join(', ');
}

export function renderSummary(report: SweepReport): string {
  const seconds = (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000;
  const accounts = new Set(report.results.map((result) => result.accountId)).size;
  const targets = report.results.filter((result) => result.region !== null).length;
  const counts = counted(SWEEP_STATUSES, report.summary);
  // A line per part that keeps a count and was checked: "  default subnets: 3 subnets-ok".
  const partLines = PART_KEYS.flatMap((key) => {
    const { summaryKey, summaryTitle } = ROW_PARTS[key];
    const counts: Readonly<Record<string, number>> | undefined = summaryKey ? report[summaryKey] : undefined;
    const line = counts ? counted<string>(statusesOfPart(key), counts) : '';
    return line ? [`  ${summaryTitle ?? key}: ${line}`] : [];
  });
  const mode = report.mode === 'report' ? 'dry run (report mode)' : 'remediation';
  return [
    `Summary: ${mode}, ${formatCount(accounts)} accounts, ${formatCount(targets)} account-regions, ${seconds.toFixed(1)} s`,
    `  ${counts || 'no rows'}`,
    ...partLines,
    ...limitsOf(report),
    verdictOf(report),
  ].join('\n');
}

/** The report (with its outcome), or a failed run's outcome, as JSON. */
export function renderJson(report: object): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
