import { describeCause } from '../core/who-broke-it';
import { statusesOf, unresolvedStatusesOf, type SweepReport, type SweepResult } from '../core/report';
import { partsOf, partsRepaired, ROW_PARTS } from '../core/row-parts';
import { HEALTHY_PART_STATUSES, statusesOfGroup, type AttentionGroupKey, type RowStatus } from '../core/statuses';

/**
 * What a person reads first, as a pure function shared by the CLI's table, its Markdown and the
 * SNS digest, so that all three tell the story the same way: the rows that changed or need a person,
 * grouped worst first, then one line counting the rest ("16,802 account-regions ok, 12 ignored,
 * 3 regions disabled").
 */

export interface AttentionGroup {
  readonly key: AttentionGroupKey;
  /** The heading of the group's rows. */
  readonly title: string;
  /** The word for the group's rows in a one-line count ("2 failed, 3 repaired"). */
  readonly label: string;
  /** Its statuses: those status-table.ts puts in it. */
  readonly statuses: readonly RowStatus[];
}

/** Worst first: a row is listed once, in the first group one of its statuses belongs to. */
const GROUP_HEADINGS: readonly Omit<AttentionGroup, 'statuses'>[] = [
  { key: 'failed', title: 'Failed', label: 'failed' },
  { key: 'not-checked', title: 'Not checked: the deadline came first', label: 'not checked' },
  { key: 'conflict', title: 'Conflict: a person pointed 0.0.0.0/0 elsewhere, left alone', label: 'in conflict' },
  {
    key: 'left-by-responder',
    title:
      "Left as a responder made it (respectPrincipals): clear it with the CLI's --repair-anyway, or tag account-janitor:ignore=true",
    label: 'left by a responder',
  },
  {
    key: 'off-path',
    title:
      'The route is there, the path is not: Block Public Access, a route that shadows 0.0.0.0/0, or a default subnet on another table (needs a person; never changed)',
    label: 'off the path',
  },
  { key: 'broken', title: 'Broken, left alone: its repair switch is off', label: 'left broken' },
  { key: 'would-repair', title: 'Would repair: dry run, or beyond the repair cap', label: 'to repair' },
  {
    key: 'findings',
    title: 'Report-only findings: never changed, fix by hand or leave as intended',
    label: 'with findings',
  },
  { key: 'repaired', title: 'Repaired', label: 'repaired' },
];

export const ATTENTION_GROUPS: readonly AttentionGroup[] = GROUP_HEADINGS.map((heading) => ({
  ...heading,
  statuses: statusesOfGroup(heading.key),
}));

/** The rows counted, not listed, by their route status: what the one count line says of them. */
const QUIET: readonly { readonly status: RowStatus; readonly label: (count: number) => string }[] = [
  { status: 'ok', label: (count) => `${count} account-region${count === 1 ? '' : 's'} ok` },
  { status: 'ignored', label: (count) => `${count} ignored` },
  { status: 'no-default-vpc', label: (count) => `${count} without a default VPC` },
  { status: 'region-disabled', label: (count) => `${count} region${count === 1 ? '' : 's'} disabled` },
  { status: 'region-denied', label: (count) => `${count} region${count === 1 ? '' : 's'} denied by an SCP` },
  { status: 'skipped', label: (count) => `${count} account${count === 1 ? '' : 's'} skipped` },
];

/** Statuses a row shows: all of them but its parts' healthy ones (`ok` when there is nothing else). */
export function shownStatuses(row: SweepResult): RowStatus[] {
  const [route, ...parts] = statusesOf(row);
  const notable = parts.filter((status) => !HEALTHY_PART_STATUSES.has(status));
  return route === 'ok' && notable.length > 0 ? notable : [route ?? 'ok', ...notable];
}

/** The group a row is listed in, or `undefined` when it is only counted. */
export function groupOf(row: SweepResult): AttentionGroup | undefined {
  const statuses = statusesOf(row);
  // Default subnets created on a row left misconfigured are a repair too.
  const repairedParts = partsRepaired(row);
  return ATTENTION_GROUPS.find(
    (group) =>
      statuses.some((status) => group.statuses.includes(status)) || (group.key === 'repaired' && repairedParts),
  );
}

/**
 * What the row says: the messages of what it shows (the route's only when the route is what it
 * shows), and who broke it.
 */
export function rowMessage(row: SweepResult): string {
  const shown = new Set(shownStatuses(row));
  const parts = [
    ...(shown.has(row.status) ? [row.message] : []),
    ...partsOf(row).flatMap(({ key, result }) =>
      shown.has(result.status) ? [`${ROW_PARTS[key].label}: ${result.message}`] : [],
    ),
    ...(row.cause ? [describeCause(row.cause)] : []),
  ];
  return parts.join('; ');
}

export interface GroupedRows {
  readonly group: AttentionGroup;
  readonly rows: readonly SweepResult[];
}

export interface Attention {
  /** The groups that have rows, worst first; rows in report order. */
  readonly groups: readonly GroupedRows[];
  /** Rows counted, not listed (with `all`, listed too, after the groups). */
  readonly quiet: readonly SweepResult[];
  /** "16,802 account-regions ok, 12 ignored, 3 regions disabled", or '' when there is none. */
  readonly quietLine: string;
}

const number = new Intl.NumberFormat('en-US');

/** "2,048": counts as people read them. */
export const formatCount = (count: number) => number.format(count);

/**
 * Rows per group a person's report lists, at most, unless every row is asked for (`--all`): the
 * CLI's table and the HTML page (the page's map has every cell). A worst night of 10,000 accounts
 * × 17 regions is 170,000 repaired rows: 18 MB of table, nobody's reading.
 */
export const MAX_LISTED_ROWS_PER_GROUP = 500;

/** Each report's attention, made once: the digest, the chat form and the HTML page of a run share it. */
const ATTENTION = new WeakMap<SweepReport, Attention>();

export function attentionOf(report: SweepReport): Attention {
  const known = ATTENTION.get(report);
  if (known) return known;
  const attention = groupRows(report);
  ATTENTION.set(report, attention);
  return attention;
}

function groupRows(report: SweepReport): Attention {
  const grouped = new Map<string, SweepResult[]>();
  const quiet: SweepResult[] = [];
  for (const row of report.results) {
    const group = groupOf(row);
    if (!group) {
      quiet.push(row);
      continue;
    }
    const rows = grouped.get(group.key);
    if (rows) rows.push(row);
    else grouped.set(group.key, [row]);
  }
  const groups = ATTENTION_GROUPS.flatMap((group) => {
    const rows = grouped.get(group.key);
    return rows ? [{ group, rows }] : [];
  });
  return { groups, quiet, quietLine: countLine(quiet) };
}

/** "16,802 account-regions ok, 12 ignored, 3 regions disabled": the rows counted, by route status. */
export function countLine(rows: readonly SweepResult[]): string {
  const counts = new Map<RowStatus, number>();
  for (const row of rows) counts.set(row.status, (counts.get(row.status) ?? 0) + 1);
  return QUIET.flatMap(({ status, label }) => {
    const count = counts.get(status) ?? 0;
    return count > 0 ? [label(count).replace(/^\d+/, (digits) => formatCount(Number(digits)))] : [];
  }).join(', ');
}

/** The groups to list: those that need attention, and with `all` every other row after them. */
export function listedGroups(attention: Attention, all: boolean) {
  return [
    ...attention.groups.map(({ group, rows }) => ({ title: group.title, rows })),
    ...(all && attention.quiet.length > 0 ? [{ title: 'No attention needed', rows: attention.quiet }] : []),
  ];
}

/** "2 failed, 3 repaired": the groups' counts, worst first. */
export function groupCounts(attention: Attention): string {
  return attention.groups.map(({ group, rows }) => `${formatCount(rows.length)} ${group.label}`).join(', ');
}

/** What cut the run short, if anything. */
export function limitsOf(report: SweepReport): string[] {
  return [
    report.repairCapReached
      ? 'The repair cap was reached: further drift is left as would-* (raise --max-repairs).'
      : '',
    report.summary['not-checked'] > 0 ? 'The deadline was reached: not-checked rows were not looked at.' : '',
  ].filter(Boolean);
}

/** "Nothing is left broken." or "2 rows need attention (conflict, subnets-misconfigured)." */
export function verdictOf(report: SweepReport): string {
  const unresolved = report.results.map(unresolvedStatusesOf).filter((statuses) => statuses.length > 0);
  if (unresolved.length === 0) return 'Nothing is left broken.';
  // Worst first, as the groups are.
  const rank = (status: RowStatus) => {
    const index = ATTENTION_GROUPS.findIndex((group) => group.statuses.includes(status));
    return index < 0 ? ATTENTION_GROUPS.length : index;
  };
  const which = [...new Set(unresolved.flat())].sort((a, b) => rank(a) - rank(b)).join(', ');
  return `${formatCount(unresolved.length)} ${unresolved.length === 1 ? 'row needs' : 'rows need'} attention (${which}).`;
}
