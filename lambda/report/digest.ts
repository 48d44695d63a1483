import { utcTime } from '../core/who-broke-it';
import { IGNORE_TAG_KEY } from '../core/route-table';
import { partsOf } from '../core/row-parts';
import { IGNORED_STATUSES, ROUTE_CHANGE_STATUSES } from '../core/statuses';
import type { GuardRailEntry } from '../core/plan-protection';
import { statusesOf, type SweepReport, type SweepResult } from '../core/report';
import { attentionOf, countLine, formatCount, groupCounts, rowMessage, shownStatuses } from './attention';
import { displayText } from './display-text';
import { RESTORE_TRIGGER_DEFINITIONS, type RestoreTrigger } from '../core/restore-triggers';

/**
 * The one notification of a run, told as the CLI's table tells it (attention.ts): the rows that
 * changed or need a person, grouped worst first, one line per row, then one line counting the
 * rest. Nothing needs attention and nothing is ignored: no message at all, never one per error.
 * Ignored account-regions are the one thing listed beyond that, every run, on purpose: whoever can
 * tag a VPC or route table silences the janitor there, and the e-mail is where that shows.
 */

export interface Digest {
  readonly subject: string;
  readonly message: string;
  /** The lines of the rows the message had no room for, by group title: the handler logs them. */
  readonly unlisted: readonly { readonly title: string; readonly lines: readonly string[] }[];
}

/** What the message says where a group's rows stop: where the rest are. */
export const UNLISTED_LOG_MESSAGE = 'digest rows not listed';

/** The unlisted rows' lines per log event, in bytes, at most: well under CloudWatch Logs' 256 KB an event. */
export const MAX_UNLISTED_LOG_BYTES = 64 * 1024;

/**
 * The log events that list what the digest could not: each group's lines in parts of at most
 * MAX_UNLISTED_LOG_BYTES (a worst night of 170,000 repaired rows is about 400 events, not 170,000).
 */
export function unlistedLogEvents(
  digest: Pick<Digest, 'unlisted'>,
): { readonly group: string; readonly part: number; readonly rows: readonly string[] }[] {
  const events: { group: string; part: number; rows: string[] }[] = [];
  for (const { title, lines } of digest.unlisted) {
    let rows: string[] = [];
    let bytes = 0;
    let part = 1;
    for (const line of lines) {
      const size = Buffer.byteLength(line) + 4;
      if (rows.length > 0 && bytes + size > MAX_UNLISTED_LOG_BYTES) {
        events.push({ group: title, part: part++, rows });
        rows = [];
        bytes = 0;
      }
      rows.push(line);
      bytes += size;
    }
    if (rows.length > 0) events.push({ group: title, part, rows });
  }
  return events;
}

/** SNS takes a subject of fewer than 100 characters, one line; a longer one fails the Publish. */
export const MAX_SUBJECT = 99;

/** The subject as SNS takes it: one line (as displayText shows it), cut with `…` to 99 characters. */
export function subjectLine(text: string): string {
  const line = displayText(text);
  return line.length > MAX_SUBJECT ? `${line.slice(0, MAX_SUBJECT - 1)}…` : line;
}

/** Rows listed per group, at most: an SNS message holds 256 KB. */
export const MAX_ROWS_PER_SECTION = 200;

/**
 * The listed rows' lines, in bytes, at most, all groups together: the rows then stop, and the
 * count of the rest says how many more. With the headings, the count lines, the page's S3 URI and
 * the held-back line, the text stays well under SNS's 262,144 bytes whatever the messages hold
 * (sns-digest.ts adds the chat form beside it only when both fit).
 */
export const MAX_LISTED_BYTES = 192 * 1024;

const IGNORED_TITLE = `Ignored, tagged ${IGNORE_TAG_KEY}=true: whoever can tag a VPC, route table, default security group or network ACL silences the janitor there`;

/**
 * @param trigger `event` for a targeted repair: one message per account-region and quiet period,
 *   however many breaking calls the burst had.
 */
export function renderDigest(
  report: SweepReport,
  trigger?: 'schedule' | 'manual' | 'event' | 'restore',
  /** A restore's trigger (restoreOn): the digest names it. */
  restoredOn?: RestoreTrigger,
): Digest | undefined {
  const attention = attentionOf(report);
  // The route's tag, or the default group's and ACL's (egress-ignored): either silences the janitor.
  const isIgnored = (row: SweepResult) => statusesOf(row).some((status) => IGNORED_STATUSES.has(status));
  const ignored = attention.quiet.filter(isIgnored);
  const refusable = report.results.filter((row) => row.wouldBlock);
  const refusals = report.results.flatMap((row) => (row.guardRailBlocked ?? []).map((entry) => ({ row, entry })));
  const nothing = attention.groups.length === 0 && ignored.length === 0;
  if (nothing && refusable.length === 0 && refusals.length === 0) return undefined;

  const counts = groupCounts(attention);
  const headline = counts || `${formatCount(ignored.length)} ignored`;
  const restore = trigger === 'restore' && restoredOn ? restoredOn : undefined;
  const run =
    trigger === 'event'
      ? 'event-driven run (after the quiet period)'
      : restore
        ? `restore run (trigger ${restore}: ${RESTORE_TRIGGER_DEFINITIONS[restore].label})`
        : 'run';
  const lines = [`account-janitor ${report.mode} ${run}, ${report.startedAt} to ${report.finishedAt}: ${headline}.`];
  // The ignored rows are listed below, every run: the count line leaves them out.
  const counted = countLine(attention.quiet.filter((row) => !isIgnored(row)));
  if (counted) lines.push(`Not listed: ${counted}.`);
  let room = MAX_LISTED_BYTES;
  const unlisted: { title: string; lines: string[] }[] = [];
  // A group's title and count, then its lines while the group's rows and the message's bytes last.
  const section = <T>(title: string, items: readonly T[], describe: (item: T) => string) => {
    lines.push('', `${title} (${formatCount(items.length)}):`);
    let listed = 0;
    for (const item of items.slice(0, MAX_ROWS_PER_SECTION)) {
      const line = `  ${displayText(describe(item))}`;
      const bytes = Buffer.byteLength(line) + 1;
      if (bytes > room) break;
      room -= bytes;
      lines.push(line);
      listed += 1;
    }
    const more = items.length - listed;
    if (more > 0) {
      lines.push(`  ... and ${formatCount(more)} more (the function's log lists them: "${UNLISTED_LOG_MESSAGE}")`);
      unlisted.push({ title, lines: items.slice(listed).map((item) => displayText(describe(item))) });
    }
  };
  for (const { group, rows } of attention.groups) section(group.title, rows, describeRow);
  if (refusable.length > 0) {
    section(WOULD_BLOCK_TITLE, refusable, (row) => (row.wouldBlock ? describeRefusal(row, row.wouldBlock) : ''));
  }
  if (refusals.length > 0) section(BLOCKED_TITLE, refusals, ({ row, entry }) => describeRefusal(row, entry));
  if (ignored.length > 0) section(IGNORED_TITLE, ignored, describeRow);
  const [first] = attention.groups.flatMap(({ rows }) => rows);
  const subject =
    trigger === 'event' && first
      ? eventSubject(first)
      : restore && first
        ? `account-janitor: ${first.accountId} restore (${restore}): ${headline}`
        : `account-janitor: ${headline}`;
  return { subject: subjectLine(subject), message: `${lines.join('\n')}\n`, unlisted };
}

/**
 * An event-driven digest's subject names its account-region, what became of it and the call that
 * broke it: "account-janitor: 111122223333/eu-west-1 restored after DeleteRoute by
 * assumed-role/ci-cleanup/nuke" (SNS cuts subjects at 100 characters).
 */
function eventSubject(row: SweepResult): string {
  const where = row.region ? `${row.accountId}/${row.region}` : row.accountId;
  const cause = row.cause ? ` after ${row.cause.eventName} by ${row.cause.principalArn.split(':').pop() ?? ''}` : '';
  return `account-janitor: ${where} ${shownStatuses(row).join(', ')}${cause}`;
}

const WOULD_BLOCK_TITLE =
  'The guard rail would have refused (protectDefaultPath=audit): fix these clean-ups, or exempt them, before enforce';

const BLOCKED_TITLE =
  'Refused by the guard rail (protectDefaultPath=enforce): clean-ups that need fixing (skip the account-janitor:protected tag, or exempt them)';

/** "arn:…:assumed-role/ci-cleanup/nuke DeleteRoute on rtb-… in 123456789012/eu-west-1 at 2026-… UTC". */
function describeRefusal(row: SweepResult, entry: GuardRailEntry): string {
  const unconfirmed = entry.unconfirmed ? ` (${entry.unconfirmed})` : '';
  return `${entry.principalArn} ${entry.eventName} on ${entry.resourceId} in ${row.accountId}/${row.region ?? ''} at ${utcTime(entry.eventTime)}${unconfirmed}`;
}

const where = (row: SweepResult) =>
  `${row.accountId} (${row.accountName || 'unnamed'})${row.region ? ` ${row.region}` : ''}`;

/**
 * One line per row: where, the route table (or VPC), what it shows, the route's before → after
 * when it changed, the error codes, the message (who broke it included) and how long the repair
 * took after the breaking call.
 */
function describeRow(row: SweepResult): string {
  const resource = row.routeTableId ?? row.vpcId;
  const change = ROUTE_CHANGE_STATUSES.has(row.status)
    ? `: 0.0.0.0/0 ${row.previousTarget ?? 'none'} -> ${row.internetGatewayId ?? '?'}`
    : '';
  const codes = [row.errorCode, ...partsOf(row).map(({ result }) => result.errorCode)].filter(Boolean);
  const code = codes.length > 0 ? ` [${[...new Set(codes)].join(', ')}]` : '';
  return `${where(row)}${resource ? ` ${resource}` : ''} ${shownStatuses(row).join(', ')}${change}${code}: ${rowMessage(row)}${repairedAfter(row)}`;
}

/** ", repaired at 02:18:12 UTC (5 min 5 s after)" for a repair whose breaking call is known. */
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
