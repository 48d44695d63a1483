import type { DoctorReport } from './checks';

/** The doctor's verdict as a table (CHECK, STATUS, DETAIL) and a last line, or as JSON. */
export function renderDoctorTable(report: DoctorReport): string {
  const width = (pick: (row: DoctorReport['rows'][number]) => string, title: string) =>
    Math.max(title.length, ...report.rows.map((row) => pick(row).length));
  const checkWidth = width((row) => row.check, 'CHECK');
  const statusWidth = width((row) => row.status, 'STATUS');
  const line = (check: string, status: string, detail: string) =>
    `${check.padEnd(checkWidth)}  ${status.padEnd(statusWidth)}  ${detail}`.trimEnd();
  const failed = report.rows.filter((row) => row.status === 'fail').length;
  const warned = report.rows.filter((row) => row.status === 'warn').length;
  const verdict =
    failed > 0
      ? `${failed} check${failed === 1 ? '' : 's'} failed: the deployment ${report.stackName} does not work as it should.`
      : `The deployment ${report.stackName} works${warned > 0 ? ` (${warned} warning${warned === 1 ? '' : 's'})` : ''}.`;
  return [
    `account-janitor doctor: stack ${report.stackName} in ${report.region}`,
    '',
    line('CHECK', 'STATUS', 'DETAIL'),
    ...report.rows.map((row) => line(row.check, row.status, row.detail)),
    '',
    verdict,
    '',
  ].join('\n');
}

export function renderDoctorJson(report: DoctorReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
