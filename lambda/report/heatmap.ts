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

/** The accounts of a group the map counts but does not draw (a map of more than MAX_MAP_CELLS). */
export interface NotDrawn {
  /** Every account-region ok, or with nothing to check. */
  readonly quiet: number;
  /** Something to show, beyond the map's cells (the worst accounts are drawn first). */
  readonly beyond: number;
}

export interface HeatmapGroup {
  /** The OU the accounts were listed under, or `null`: named by id, or found by ListAccounts. */
  readonly ouId: string | null;
  /** Its name, where known. */
  readonly ouName?: string;
  /** The accounts drawn. */
  readonly accounts: readonly HeatmapAccount[];
  /** The group's accounts not drawn; absent when every one is. */
  readonly notDrawn?: NotDrawn;
}

export interface Heatmap {
  readonly regions: readonly string[];
  readonly groups: readonly HeatmapGroup[];
  /** Every row's cell, drawn or not. */
  readonly counts: Readonly<Record<CellKind, number>>;
  /** The accounts not drawn, all groups together (zeros when every account is drawn). */
  readonly notDrawn: NotDrawn;
}

/**
 * The map's cells, at most: 1,000 accounts × 17 regions are drawn whole (every account, every
 * cell). Past this many, the accounts with nothing to show (every cell ok or nothing to check) are
 * counted, not drawn, and of the others the worst are drawn first until the map is full: 10,000
 * accounts × 17 regions on a night when every one was repaired stay a page of a few megabytes.
 */
export const MAX_MAP_CELLS = 30_000;

const QUIET_KINDS: ReadonlySet<CellKind> = new Set(['ok', 'absent']);

const cellsOf = (account: HeatmapAccount): readonly (HeatmapCell | null)[] => [
  ...('account' in account.cells ? [account.cells.account] : account.cells),
  ...(account.accountCell ? [account.accountCell] : []),
];

/** The rank of the account's worst cell (0: failed), or `null` when it has nothing to show. */
function worstRank(account: HeatmapAccount): number | null {
  const kinds = cellsOf(account).flatMap((cell) => (cell && !QUIET_KINDS.has(cell.kind) ? [cell.kind] : []));
  return kinds.length === 0 ? null : Math.min(...kinds.map((kind) => RANK.get(kind) ?? 0));
}

/**
 * The accounts to draw: all of them when their cells fit in `maxCells`; otherwise none of the
 * quiet ones, and the others worst first while the cells last.
 */
function accountsToDraw(groups: readonly { readonly accounts: readonly HeatmapAccount[] }[], maxCells: number) {
  const width = (account: HeatmapAccount) => ('account' in account.cells ? 1 : account.cells.length);
  const cells = groups.reduce((sum, group) => sum + group.accounts.reduce((n, account) => n + width(account), 0), 0);
  if (cells <= maxCells) return undefined;
  // Among equals, each group's first accounts before any group's next: every OU gets its share.
  const ranked = groups.flatMap((group, ou) =>
    group.accounts.flatMap((account, order) => {
      const rank = worstRank(account);
      return rank === null ? [] : [{ account, rank, order, ou }];
    }),
  );
  ranked.sort((a, b) => a.rank - b.rank || a.order - b.order || a.ou - b.ou);
  const drawn = new Set<HeatmapAccount>();
  let left = maxCells;
  for (const { account } of ranked) {
    if (width(account) > left) break;
    left -= width(account);
    drawn.add(account);
  }
  return drawn;
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

export function heatmapOf(report: SweepReport, maxCells = MAX_MAP_CELLS): Heatmap {
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
  const whole = [...ous.entries()]
    .sort(([a], [b]) =>
      a === null ? 1 : b === null ? -1 : byName({ name: nameOf(a), id: a }, { name: nameOf(b), id: b }),
    )
    .map(([ouId, list]) => {
      const ouName = ouId ? report.ouNames?.[ouId] : undefined;
      return { ouId, ...(ouName ? { ouName } : {}), accounts: list };
    });
  const drawn = accountsToDraw(whole, maxCells);
  if (!drawn) return { regions, groups: whole, counts, notDrawn: { quiet: 0, beyond: 0 } };
  const groups = whole.map((group) => {
    const left = group.accounts.filter((account) => !drawn.has(account));
    const quiet = left.filter((account) => worstRank(account) === null).length;
    const notDrawn = { quiet, beyond: left.length - quiet };
    return { ...group, accounts: group.accounts.filter((account) => drawn.has(account)), notDrawn };
  });
  const notDrawn = groups.reduce(
    (sum, group) => ({ quiet: sum.quiet + group.notDrawn.quiet, beyond: sum.beyond + group.notDrawn.beyond }),
    { quiet: 0, beyond: 0 },
  );
  return { regions, groups, counts, notDrawn };
}
