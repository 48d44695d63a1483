import { statusesOf, type SweepReport, type SweepResult } from '../core/report';
import { partsRepaired } from '../core/row-parts';
import { IGNORED_STATUSES, STATUS_TRAITS, type AttentionGroupKey, type RowStatus } from '../core/statuses';
import { rowMessage, shownStatuses } from './attention';

/**
 * The organization as a picture: accounts × regions, each cell coloured by the worst of its row's
 * statuses, accounts grouped by the OU they were listed under. A pure model; render-html.ts draws
 * it. Colour is never the only signal: every kind has a letter and a label.
 */

/** What a cell shows, worst first. */
export const CELL_KINDS = [
  { key: 'failed', letter: 'F', label: 'failed or denied' },
  { key: 'not-checked', letter: 'N', label: 'not checked (deadline)' },
  {
    key: 'person',
    letter: 'P',
    label: 'needs a person: conflict, left broken, left by a responder, the route there but not the path',
  },
  { key: 'drift', letter: 'D', label: 'drift not repaired: dry run, cap, report-only finding' },
  { key: 'repaired', letter: 'R', label: 'repaired' },
  { key: 'ignored', letter: 'I', label: 'ignored (account-janitor:ignore)' },
  { key: 'absent', letter: '–', label: 'nothing to check: no default VPC, region disabled or denied, account skipped' },
  { key: 'ok', letter: '✓', label: 'ok' },
] as const;

export type CellKind = (typeof CELL_KINDS)[number]['key'];

const RANK = new Map<CellKind, number>(CELL_KINDS.map((kind, index) => [kind.key, index]));

/** The kind of the rows each group lists (a new group does not compile without its kind). */
const KIND_OF_GROUP: Readonly<Record<AttentionGroupKey, CellKind>> = {
  failed: 'failed',
  'not-checked': 'not-checked',
  conflict: 'person',
  'left-by-responder': 'person',
  'off-path': 'person',
  broken: 'person',
  'would-repair': 'drift',
  findings: 'drift',
  repaired: 'repaired',
};

/** The kind of one status, from its group in status-table.ts. */
export function kindOfStatus(status: RowStatus): CellKind {
  const { group } = STATUS_TRAITS[status];
  if (group !== null) return KIND_OF_GROUP[group];
  // Counted, not listed: ignored, nothing to check (no default VPC, a region off, an account
  // skipped), or healthy (the route's ok, a part's ok).
  if (IGNORED_STATUSES.has(status)) return 'ignored';
  return status === 'skipped' || (STATUS_TRAITS[status].part === 'target' && status !== 'ok') ? 'absent' : 'ok';
}

/** The worst kind among a row's statuses (its route's, subnets', egress', protection's). */
export function kindOfRow(row: SweepResult): CellKind {
  const kinds = statusesOf(row).map(kindOfStatus);
  // Default subnets created, or egress put back, on a row that shows another status: a repair too.
  if (partsRepaired(row)) kinds.push('repaired');
  return kinds.reduce((worst, kind) => ((RANK.get(kind) ?? 0) < (RANK.get(worst) ?? 0) ? kind : worst), 'ok');
}

export interface HeatmapCell {
  readonly kind: CellKind;
  /** "111122223333 eu-west-1: restored, subnets-ok — the route …": what a hover or focus shows. */
  readonly title: string;
}

export interface HeatmapAccount {
  readonly accountId: string;
  readonly accountName: string;
  /** One per region of the map (`null`: the account has no row there); or one cell for a whole-account row. */
  readonly cells: readonly (HeatmapCell | null)[] | { readonly account: HeatmapCell };
  /** A whole-account row beside region rows (its cell is shown by the account's name). */
  readonly accountCell?: HeatmapCell;
}

export interface HeatmapGroup {
  /** The OU the accounts were listed under, or `null`: named by id, or found by ListAccounts. */
  readonly ouId: string | null;
  /** Its name, where known. */
  readonly ouName?: string;
  readonly accounts: readonly HeatmapAccount[];
}

export interface Heatmap {
  readonly regions: readonly string[];
  readonly groups: readonly HeatmapGroup[];
  readonly counts: Readonly<Record<CellKind, number>>;
}

/** A title is at most this long: 17,000 of them stay a few megabytes. */
const MAX_TITLE = 200;

function titleOf(row: SweepResult): string {
  const where = row.region ? `${row.accountId} ${row.region}` : row.accountId;
  const text = `${where}: ${shownStatuses(row).join(', ')} — ${rowMessage(row)}`;
  return text.length > MAX_TITLE ? `${text.slice(0, MAX_TITLE - 1)}…` : text;
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** As a person reads names: `sandbox-2` before `sandbox-10`, case aside; the id decides between equal names. */
const NAMES = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
const byName = (a: { name: string; id: string }, b: { name: string; id: string }) =>
  NAMES.compare(a.name, b.name) || byId(a.id, b.id);

export function heatmapOf(report: SweepReport): Heatmap {
  const regions = [...new Set(report.results.flatMap((row) => (row.region ? [row.region] : [])))].sort(byId);
  const column = new Map(regions.map((region, index) => [region, index]));
  const counts = Object.fromEntries(CELL_KINDS.map(({ key }) => [key, 0])) as Record<CellKind, number>;
  const accounts = new Map<string, { name: string; cells: (HeatmapCell | null)[]; account?: HeatmapCell }>();
  for (const row of report.results) {
    const entry = accounts.get(row.accountId) ?? { name: row.accountName, cells: regions.map(() => null) };
    accounts.set(row.accountId, entry);
    const cell = { kind: kindOfRow(row), title: titleOf(row) };
    counts[cell.kind] += 1;
    if (row.region === null) entry.account = cell;
    else entry.cells[column.get(row.region) ?? 0] = cell;
  }
  const ous = new Map<string | null, HeatmapAccount[]>();
  const accountsByName = [...accounts.entries()]
    .map(([id, entry]) => ({ id, name: entry.name }))
    .sort(byName)
    .map(({ id }) => id);
  for (const accountId of accountsByName) {
    const entry = accounts.get(accountId);
    if (!entry) continue;
    const ouId = report.accountOus?.[accountId] ?? null;
    const list = ous.get(ouId) ?? [];
    ous.set(ouId, list);
    const accountOnly = entry.account !== undefined && entry.cells.every((cell) => cell === null);
    list.push({
      accountId,
      accountName: entry.name,
      cells: accountOnly && entry.account ? { account: entry.account } : entry.cells,
      ...(!accountOnly && entry.account ? { accountCell: entry.account } : {}),
    });
  }
  // OUs by name (an OU without one by its id), the accounts of no OU last.
  const nameOf = (ouId: string) => report.ouNames?.[ouId] ?? ouId;
  const groups = [...ous.entries()]
    .sort(([a], [b]) =>
      a === null ? 1 : b === null ? -1 : byName({ name: nameOf(a), id: a }, { name: nameOf(b), id: b }),
    )
    .map(([ouId, list]) => {
      const ouName = ouId ? report.ouNames?.[ouId] : undefined;
      return { ouId, ...(ouName ? { ouName } : {}), accounts: list };
    });
  return { regions, groups, counts };
}
