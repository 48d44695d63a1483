import { describeCause } from '../core/cause';
import { IGNORE_TAG_KEY } from '../core/route-table';
import type { EgressResult, SubnetsResult, SweepReport, SweepResult } from '../core/report';
import type { EgressStatus, SubnetStatus, SweepStatus } from '../core/statuses';

/**
 * The one notification of a run: what was repaired, what failed, what a human set that conflicts,
 * what is broken and left alone, and (in report mode) what would be repaired. Nothing to say, no
 * message: never one per error. A row whose route and default subnets both have something to say
 * is listed under each.
 */

export interface Digest {
  readonly subject: string;
  readonly message: string;
}

interface Section {
  readonly title: string;
  /** The headline's word for this section's rows. */
  readonly label: string;
  readonly statuses: readonly SweepStatus[];
  /** Which default subnets results belong here. */
  readonly subnets: (subnets: SubnetsResult) => boolean;
  /** Which egress results belong here (default: none). */
  readonly egress?: (egress: EgressResult) => boolean;
}

const egressStatusIn =
  (...statuses: EgressStatus[]) =>
  (egress: EgressResult) =>
    statuses.includes(egress.status);

const subnetStatusIn =
  (...statuses: SubnetStatus[]) =>
  (subnets: SubnetsResult) =>
    statuses.includes(subnets.status);

const SECTIONS: readonly Section[] = [
  {
    title: 'Repaired',
    label: 'repaired',
    statuses: ['restored', 'replaced', 'gateway-restored', 'vpc-recreated'],
    // Zones repaired count even when the row's subnets are left misconfigured or partly failed.
    subnets: (subnets) => subnets.zonesRepaired.length > 0,
    egress: (egress) => egress.repaired.length > 0,
  },
  {
    title: 'Failed',
    label: 'failed',
    statuses: ['repair-failed', 'error', 'access-denied'],
    subnets: subnetStatusIn('subnets-repair-failed', 'subnets-error'),
    egress: egressStatusIn('egress-repair-failed', 'egress-error'),
  },
  {
    title: 'Conflict (a human pointed 0.0.0.0/0 elsewhere; left alone)',
    label: 'in conflict',
    statuses: ['conflict'],
    subnets: () => false,
  },
  {
    title: 'Broken and left alone (its repair switch is off)',
    label: 'left broken',
    statuses: ['no-internet-gateway'],
    subnets: subnetStatusIn('subnets-missing'),
    egress: egressStatusIn('egress-blocked'),
  },
  {
    title: 'Default subnets that break tasks with public IPs (report only: fix by hand)',
    label: 'misconfigured',
    statuses: [],
    subnets: subnetStatusIn('subnets-misconfigured'),
  },
  {
    title: 'Would repair (report mode, or beyond the repair cap)',
    label: 'to repair',
    statuses: ['would-restore', 'would-replace', 'would-restore-gateway', 'would-recreate-vpc'],
    subnets: subnetStatusIn('would-restore-subnets'),
    egress: egressStatusIn('would-restore-egress'),
  },
  {
    title: `Ignored (tagged ${IGNORE_TAG_KEY}=true: whoever can tag a VPC or route table silences the janitor there)`,
    label: 'ignored',
    statuses: ['ignored'],
    subnets: () => false,
  },
  {
    title: 'Regions not checked (not enabled for the account, or denied by a service control policy)',
    label: 'regions not checked',
    statuses: ['region-disabled', 'region-denied'],
    subnets: () => false,
  },
];

/** Rows listed per section, at most: an SNS message holds 256 KB. */
export const MAX_ROWS_PER_SECTION = 200;

/**
 * @param trigger `event` for a targeted repair: one message per account-region and quiet period,
 *   however many breaking calls the burst had.
 */
export function renderDigest(report: SweepReport, trigger?: 'schedule' | 'manual' | 'event'): Digest | undefined {
  const sections = SECTIONS.map((section) => ({
    ...section,
    lines: report.results.flatMap((row) => [
      ...(section.statuses.includes(row.status) ? [describeRoute(row)] : []),
      ...(row.subnets && section.subnets(row.subnets) ? [describeSubnets(row)] : []),
      ...(row.egress && section.egress?.(row.egress) ? [describeEgress(row, row.egress)] : []),
    ]),
  })).filter((section) => section.lines.length > 0);
  if (sections.length === 0) return undefined;

  const headline = sections.map((section) => `${section.lines.length} ${section.label}`).join(', ');
  const run = trigger === 'event' ? 'event-driven run (after the quiet period)' : 'run';
  const lines = [`account-janitor ${report.mode} ${run}, ${report.startedAt} to ${report.finishedAt}: ${headline}.`];
  for (const section of sections) {
    lines.push('', `${section.title}:`);
    for (const line of section.lines.slice(0, MAX_ROWS_PER_SECTION)) lines.push(`  ${line}`);
    const more = section.lines.length - MAX_ROWS_PER_SECTION;
    if (more > 0) lines.push(`  ... and ${more} more (see the function's logs for the full report)`);
  }
  const subject = trigger === 'event' ? `account-janitor (event): ${headline}` : `account-janitor: ${headline}`;
  return { subject: subject.slice(0, 100), message: `${lines.join('\n')}\n` };
}

const where = (row: SweepResult) =>
  `${row.accountId} (${row.accountName || 'unnamed'})${row.region ? ` ${row.region}` : ''}`;

function describeRoute(row: SweepResult): string {
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
  const cause = row.cause ? `; ${describeCause(row.cause)}${repairedAfter(row)}` : '';
  return `${where(row)}${table} ${row.status}${change}${code}: ${row.message}${cause}`;
}

function describeSubnets(row: SweepResult): string {
  const subnets = row.subnets;
  if (!subnets) return describeRoute(row);
  const vpc = row.vpcId ? ` ${row.vpcId}` : '';
  const code = subnets.errorCode ? ` [${subnets.errorCode}]` : '';
  return `${where(row)}${vpc} ${subnets.status}${code}: ${subnets.message}`;
}

function describeEgress(row: SweepResult, egress: EgressResult): string {
  const vpc = row.vpcId ? ` ${row.vpcId}` : '';
  const code = egress.errorCode ? ` [${egress.errorCode}]` : '';
  const cause = row.cause ? `; ${describeCause(row.cause)}` : '';
  return `${where(row)}${vpc} ${egress.status}${code}: ${egress.message}${cause}`;
}

/** ", restored at 02:18:12 UTC (5 min 5 s after)" for a repair whose breaking call is known. */
function repairedAfter(row: SweepResult): string {
  if (!row.cause || !row.repairedAt) return '';
  const seconds = Math.max(0, Math.round((Date.parse(row.repairedAt) - Date.parse(row.cause.eventTime)) / 1000));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const span = [hours > 0 ? `${hours} h` : '', minutes > 0 ? `${minutes} min` : '', `${seconds % 60} s`]
    .filter(Boolean)
    .join(' ');
  return `, repaired at ${row.repairedAt.slice(11, 19)} UTC (${span} after)`;
}
