import { describeCause } from '../core/cause';
import { unresolvedStatusesOf, type SweepReport, type SweepResult } from '../core/report';
import { EGRESS_STATUSES, SUBNET_STATUSES, SWEEP_STATUSES } from '../core/statuses';

/** The CLI's human-readable report: a table of rows, then a summary and a verdict. */

interface Column {
  readonly title: string;
  readonly value: (result: SweepResult) => string;
}

const COLUMNS: readonly Column[] = [
  { title: 'ACCOUNT', value: (result) => result.accountId },
  { title: 'NAME', value: (result) => result.accountName },
  { title: 'REGION', value: (result) => result.region ?? '-' },
  { title: 'STATUS', value: (result) => result.status },
  { title: 'VPC', value: (result) => result.vpcId ?? '-' },
  { title: 'ROUTE TABLE', value: (result) => result.routeTableId ?? '-' },
  { title: 'GATEWAY', value: (result) => result.internetGatewayId ?? '-' },
  { title: 'BEFORE', value: (result) => result.previousTarget ?? (result.routeTableId ? '(none)' : '-') },
];

/** Shown when the default subnets were checked: their status, and the zones repaired or missing. */
const SUBNETS_COLUMN: Column = {
  title: 'SUBNETS',
  value: ({ subnets }) => {
    if (!subnets) return '-';
    const zones = subnets.zonesRepaired.length > 0 ? subnets.zonesRepaired : subnets.zonesMissing;
    return zones.length > 0 ? `${subnets.status} ${zones.join(',')}` : subnets.status;
  },
};

/** Shown when the egress was checked: its status. */
const EGRESS_COLUMN: Column = { title: 'EGRESS', value: ({ egress }) => egress?.status ?? '-' };

const MESSAGE_COLUMN: Column = {
  title: 'MESSAGE',
  value: (result) =>
    [
      result.message,
      ...(result.subnets ? [`subnets: ${result.subnets.message}`] : []),
      ...(result.egress ? [`egress: ${result.egress.message}`] : []),
      ...(result.cause ? [describeCause(result.cause)] : []),
    ].join('; '),
};

export function renderTable(report: SweepReport): string {
  const columns = [
    ...COLUMNS,
    ...(report.results.some((result) => result.subnets) ? [SUBNETS_COLUMN] : []),
    ...(report.results.some((result) => result.egress) ? [EGRESS_COLUMN] : []),
    MESSAGE_COLUMN,
  ];
  const rows = report.results.map((result) => columns.map((column) => column.value(result)));
  const widths = columns.map((column, index) =>
    Math.max(column.title.length, ...rows.map((cells) => cells[index]?.length ?? 0)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) => (index === cells.length - 1 ? cell : cell.padEnd(widths[index] ?? 0)))
      .join('  ')
      .trimEnd();
  const table =
    rows.length === 0
      ? 'No account matched the selection.'
      : [line(columns.map((column) => column.title)), ...rows.map(line)].join('\n');
  return `${renderHeader(report)}${table}\n\n${renderSummary(report)}\n`;
}

/** Where the run ran: its organization and the caller's account (when known). */
function renderHeader(report: SweepReport): string {
  if (!report.organizationId && !report.callerAccountId) return '';
  return `Organization ${report.organizationId ?? 'unknown'}, caller account ${report.callerAccountId ?? 'unknown'}\n\n`;
}

export function renderSummary(report: SweepReport): string {
  const seconds = (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000;
  const accounts = new Set(report.results.map((result) => result.accountId)).size;
  const targets = report.results.filter((result) => result.region !== null).length;
  const counts = SWEEP_STATUSES.filter((status) => report.summary[status] > 0)
    .map((status) => `${report.summary[status]} ${status}`)
    .join(', ');
  const subnetCounts = SUBNET_STATUSES.filter((status) => report.subnetSummary[status] > 0)
    .map((status) => `${report.subnetSummary[status]} ${status}`)
    .join(', ');
  const egressCounts = EGRESS_STATUSES.filter((status) => report.egressSummary[status] > 0)
    .map((status) => `${report.egressSummary[status]} ${status}`)
    .join(', ');
  const mode = report.mode === 'report' ? 'dry run (report mode)' : 'remediation';
  const unresolved = report.results.map(unresolvedStatusesOf).filter((statuses) => statuses.length > 0);
  const verdict =
    unresolved.length === 0
      ? 'Nothing is left broken.'
      : `${unresolved.length} ${unresolved.length === 1 ? 'row needs' : 'rows need'} attention (${[
          ...new Set(unresolved.flat()),
        ].join(', ')}).`;
  const limits = [
    report.repairCapReached
      ? 'The repair cap was reached: further drift is left as would-* (raise --max-repairs).'
      : '',
    report.summary['not-checked'] > 0 ? 'The deadline was reached: not-checked rows were not looked at.' : '',
  ].filter(Boolean);
  return [
    `Summary: ${mode}, ${accounts} accounts, ${targets} account-regions, ${seconds.toFixed(1)} s`,
    `  ${counts || 'no rows'}`,
    ...(subnetCounts ? [`  default subnets: ${subnetCounts}`] : []),
    ...(egressCounts ? [`  egress: ${egressCounts}`] : []),
    ...limits,
    verdict,
  ].join('\n');
}

export function renderJson(report: SweepReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
