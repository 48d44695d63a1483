import { displayText } from '../../lambda/report/display-text';
import type { DoctorReport } from './checks';

/**
 * The doctor's verdict as a table (CHECK, STATUS, DETAIL) and a last line, or as JSON. A check
 * names an account (its name) and a detail quotes what AWS said: both shown as displayText makes
 * them, before their width is measured.
 */
export function renderDoctorTable(report: DoctorReport): string {
  const rows = report.rows.map((row) => ({ ...row, check: displayText(row.check), detail: displayText(row.detail) }));
  const width = (pick: (row: DoctorReport['rows'][number]) => string, title: string) =>
    Math.max(title.length, ...rows.map((row) => pick(row).length));
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
    ...rows.map((row) => line(row.check, row.status, row.detail)),
    '',
    verdict,
    '',
  ].join('\n');
}

export function renderDoctorJson(report: DoctorReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
