import type { SweepReport, SweepResult } from '../core/report';
import { SWEEP_STATUSES, UNRESOLVED_STATUSES } from '../core/statuses';

/** The CLI's human-readable report: a table of rows, then a summary and a verdict. */

const COLUMNS: readonly { title: string; value: (result: SweepResult) => string }[] = [
  { title: 'ACCOUNT', value: (result) => result.accountId },
  { title: 'NAME', value: (result) => result.accountName },
  { title: 'REGION', value: (result) => result.region ?? '-' },
  { title: 'STATUS', value: (result) => result.status },
  { title: 'VPC', value: (result) => result.vpcId ?? '-' },
  { title: 'ROUTE TABLE', value: (result) => result.routeTableId ?? '-' },
  { title: 'GATEWAY', value: (result) => result.internetGatewayId ?? '-' },
  { title: 'BEFORE', value: (result) => result.previousTarget ?? (result.routeTableId ? '(none)' : '-') },
  { title: 'MESSAGE', value: (result) => result.message },
];

export function renderTable(report: SweepReport): string {
  const rows = report.results.map((result) => COLUMNS.map((column) => column.value(result)));
  const widths = COLUMNS.map((column, index) =>
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
      : [line(COLUMNS.map((column) => column.title)), ...rows.map(line)].join('\n');
  return `${table}\n\n${renderSummary(report)}\n`;
}

export function renderSummary(report: SweepReport): string {
  const seconds = (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000;
  const accounts = new Set(report.results.map((result) => result.accountId)).size;
  const targets = report.results.filter((result) => result.region !== null).length;
  const counts = SWEEP_STATUSES.filter((status) => report.summary[status] > 0)
    .map((status) => `${report.summary[status]} ${status}`)
    .join(', ');
  const mode = report.mode === 'report' ? 'dry run (report mode)' : 'remediation';
  const unresolved = report.results.filter((result) => UNRESOLVED_STATUSES.has(result.status)).length;
  const verdict =
    unresolved === 0
      ? 'Nothing is left broken.'
      : `${unresolved} ${unresolved === 1 ? 'row needs' : 'rows need'} attention (${[
          ...new Set(
            report.results.filter((result) => UNRESOLVED_STATUSES.has(result.status)).map((result) => result.status),
          ),
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
    ...limits,
    verdict,
  ].join('\n');
}

export function renderJson(report: SweepReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
