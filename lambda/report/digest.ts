import type { SweepReport, SweepResult } from '../core/report';
import type { SweepStatus } from '../core/statuses';

/**
 * The one notification of a run: what was repaired, what failed, what a human set that conflicts,
 * and (in report mode) what would be repaired. Nothing to say, no message: never one per error.
 */

export interface Digest {
  readonly subject: string;
  readonly message: string;
}

const SECTIONS: readonly { title: string; statuses: readonly SweepStatus[] }[] = [
  { title: 'Repaired', statuses: ['restored', 'replaced', 'gateway-restored', 'vpc-recreated'] },
  { title: 'Failed', statuses: ['repair-failed', 'error', 'access-denied'] },
  { title: 'Conflict (a human pointed 0.0.0.0/0 elsewhere; left alone)', statuses: ['conflict'] },
  {
    title: 'Would repair (report mode)',
    statuses: ['would-restore', 'would-replace', 'would-restore-gateway', 'would-recreate-vpc'],
  },
];

/** Rows listed per section, at most: an SNS message holds 256 KB. */
export const MAX_ROWS_PER_SECTION = 200;

export function renderDigest(report: SweepReport): Digest | undefined {
  const sections = SECTIONS.map((section) => ({
    ...section,
    rows: report.results.filter((result) => section.statuses.includes(result.status)),
  })).filter((section) => section.rows.length > 0);
  if (sections.length === 0) return undefined;

  const count = (statuses: readonly SweepStatus[]) => statuses.reduce((sum, status) => sum + report.summary[status], 0);
  const headline = [
    [count(['restored', 'replaced', 'gateway-restored', 'vpc-recreated']), 'repaired'],
    [count(['repair-failed', 'error', 'access-denied']), 'failed'],
    [count(['conflict']), 'in conflict'],
    [count(['would-restore', 'would-replace', 'would-restore-gateway', 'would-recreate-vpc']), 'to repair'],
  ]
    .filter(([value]) => Number(value) > 0)
    .map(([value, label]) => `${value} ${label}`)
    .join(', ');

  const lines = [`account-janitor ${report.mode} run, ${report.startedAt} to ${report.finishedAt}: ${headline}.`];
  for (const section of sections) {
    lines.push('', `${section.title}:`);
    for (const row of section.rows.slice(0, MAX_ROWS_PER_SECTION)) lines.push(`  ${describeRow(row)}`);
    const more = section.rows.length - MAX_ROWS_PER_SECTION;
    if (more > 0) lines.push(`  ... and ${more} more (see the function's logs for the full report)`);
  }
  return { subject: `account-janitor: ${headline}`.slice(0, 100), message: `${lines.join('\n')}\n` };
}

function describeRow(row: SweepResult): string {
  const where = `${row.accountId} (${row.accountName || 'unnamed'})${row.region ? ` ${row.region}` : ''}`;
  const table = row.routeTableId ? ` ${row.routeTableId}` : '';
  const change =
    row.status === 'restored' ||
    row.status === 'replaced' ||
    row.status === 'gateway-restored' ||
    row.status === 'vpc-recreated' ||
    row.status.startsWith('would-')
      ? `: 0.0.0.0/0 ${row.previousTarget ?? 'none'} -> ${row.internetGatewayId ?? '?'}`
      : '';
  const code = row.errorCode ? ` [${row.errorCode}]` : '';
  return `${where}${table} ${row.status}${change}${code}: ${row.message}`;
}
