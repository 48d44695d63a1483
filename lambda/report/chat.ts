import type { SweepReport, SweepResult } from '../core/report';
import type { AttentionGroupKey } from '../core/statuses';
import { attentionOf, formatCount, groupCounts, rowMessage, shownStatuses, type Attention } from './attention';
import { displayText } from './display-text';

/**
 * The run digest for Slack and Microsoft Teams channels (AWS Chatbot, now Amazon Q Developer in
 * chat applications): its custom notification format (`version` 1.0, `source` custom), published
 * beside the e-mail text in one SNS message (`MessageStructure: json`, the `https` form, which is
 * how Chatbot subscribes). What needs attention, worst first, at most 10 rows and "and N more";
 * what to do next per group; the statuses as keywords. Text from the report (account names,
 * messages, CloudTrail's words) is escaped (chatText): no mention, no disguised or planted link, no
 * emphasis, no bidirectional control.
 */

export interface ChatNotification {
  readonly version: '1.0';
  readonly source: 'custom';
  readonly id?: string;
  readonly content: {
    readonly textType: 'client-markdown';
    readonly title: string;
    readonly description: string;
    readonly nextSteps?: readonly string[];
    readonly keywords?: readonly string[];
  };
  readonly metadata?: {
    readonly threadId?: string;
    readonly summary?: string;
    readonly eventType?: string;
    readonly relatedResources?: readonly string[];
    readonly additionalContext?: Readonly<Record<string, string>>;
  };
}

/** Rows listed in a chat message, at most: a channel is read at a glance. */
export const MAX_CHAT_ROWS = 10;
/** A row's message in chat, at most this many characters. */
const MAX_CHAT_MESSAGE = 200;
/** Keywords, at most. */
const MAX_KEYWORDS = 10;
/**
 * The description, at most: Slack's text blocks hold 3,000 characters (AWS documents no limit of
 * its own for custom notifications); rows give way first.
 */
export const MAX_CHAT_DESCRIPTION = 3000;
/** The title, at most. */
export const MAX_CHAT_TITLE = 250;

/** What to do about each group, as a next step. */
const NEXT_STEPS: Readonly<Record<AttentionGroupKey, string>> = {
  failed:
    'Failed rows: check the member role there (`account-janitor doctor` tests every account); the row names the error code.',
  'not-checked': 'Not checked: the run hit its deadline; raise concurrency or split the targets.',
  conflict:
    'Conflict: a person pointed 0.0.0.0/0 elsewhere; confirm it, or tag the route table account-janitor:ignore=true.',
  'left-by-responder':
    "Left by a responder: clear it with the CLI's --repair-anyway when the incident is over, or tag it account-janitor:ignore=true.",
  'off-path':
    'The route is there, the path is not: Block Public Access needs an exclusion for the default VPC (the row gives the command), a shadowing route or a subnet association needs its owner; the janitor never changes them.',
  broken: 'Left broken: its repair switch is off; repair by hand, or turn the switch on.',
  'would-repair':
    'Would repair: a dry run, or beyond maxRepairsPerRun; run it without --dry-run, or find why so much drifted.',
  findings: 'Report-only findings: fix by hand, or leave them as intended.',
  repaired: 'Repaired: find the clean-up that broke it (who did is on each row) and make it skip the default VPC.',
};

/**
 * Text that renders as itself in a channel: as displayText shows it (one line, no bidirectional
 * control); `<` and `>` as look-alikes (‹ ›), so that no `<!channel>` mention or `<url|label>` link
 * can form in Slack whatever Chatbot's conversion does; `://` as `[://]`, the defanged form people
 * who read security alerts know, so that `https://…` in an account name or a message is no link a
 * member planted (a bare domain may still be linked by the client); Markdown's link, emphasis and
 * code syntax escaped, and `&` too, so that no character reference (`&lt;`, `&#x202E;`) brings
 * back what the rest took out.
 */
export function chatText(text: string): string {
  return displayText(text)
    .replaceAll('://', '[://]')
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/[\\`*_[\]()|~#!&]/g, (character) => `\\${character}`);
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function rowLine(row: SweepResult): string {
  const who = row.accountName ? `${chatText(row.accountName)} (${row.accountId})` : row.accountId;
  const where = row.region ? ` ${row.region}` : '';
  return `- **${shownStatuses(row).join(', ')}** ${who}${where}: ${chatText(cut(rowMessage(row), MAX_CHAT_MESSAGE))}`;
}

export interface ChatExtras {
  /** The e-mail's subject: the title. */
  readonly title: string;
  readonly trigger?: 'schedule' | 'manual' | 'event' | 'restore' | undefined;
  /** Event-driven digests of this account-region held back before this one. */
  readonly heldBack?: number;
  /** The run's HTML report, where htmlReport wrote it. */
  readonly htmlReport?: string | undefined;
  /** The account-region of an event-driven run: its thread. */
  readonly where?: { readonly accountId: string; readonly region: string } | undefined;
}

export function renderChatNotification(report: SweepReport, extras: ChatExtras): ChatNotification {
  const attention = attentionOf(report);
  const rows = attention.groups.flatMap(({ rows: grouped }) => grouped);
  let description = '';
  for (let count = Math.min(rows.length, MAX_CHAT_ROWS); count >= 0; count -= 1) {
    description = describe(report, attention, rows, count, extras);
    if (description.length <= MAX_CHAT_DESCRIPTION) break;
  }
  const keywords = [...new Set(rows.flatMap(shownStatuses))].slice(0, MAX_KEYWORDS);
  const title = cut(chatText(extras.title), MAX_CHAT_TITLE);
  return {
    version: '1.0',
    source: 'custom',
    content: {
      textType: 'client-markdown',
      title,
      description: cut(description, MAX_CHAT_DESCRIPTION),
      nextSteps: attention.groups.map(({ group }) => NEXT_STEPS[group.key]),
      keywords: keywords.length > 0 ? keywords : ['ok'],
    },
    metadata: {
      ...(extras.where ? { threadId: `account-janitor/${extras.where.accountId}/${extras.where.region}` } : {}),
      summary: title,
      eventType: 'account-janitor-digest',
      additionalContext: { mode: report.mode, trigger: extras.trigger ?? 'manual' },
    },
  };
}

/** The description with the first `count` rows listed. */
function describe(
  report: SweepReport,
  attention: Attention,
  rows: readonly SweepResult[],
  count: number,
  extras: ChatExtras,
): string {
  const shown = rows.slice(0, count);
  const refusable = report.results.filter((row) => row.wouldBlock).length;
  const refused = report.results.reduce((total, row) => total + (row.guardRailBlocked?.length ?? 0), 0);
  const mode = report.mode === 'report' ? 'Dry run' : 'Run';
  const lines = [
    `**${mode}** ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC: ${groupCounts(attention) || 'nothing needs attention'}.`,
    ...shown.map(rowLine),
    ...(rows.length > shown.length
      ? [
          `…and ${formatCount(rows.length - shown.length)} more (the e-mail lists them, and past its 200 a group the function's log).`,
        ]
      : []),
    ...(attention.quietLine ? [`Not listed: ${attention.quietLine}.`] : []),
    ...(refusable > 0 ? [`The guard rail would have refused ${formatCount(refusable)} breaking call(s) (audit).`] : []),
    ...(refused > 0
      ? [`The guard rail refused ${formatCount(refused)} breaking call(s): clean-ups that need fixing.`]
      : []),
    ...(extras.heldBack ? [`${formatCount(extras.heldBack)} earlier digest(s) of this account-region held back.`] : []),
    ...(extras.htmlReport ? [`HTML report: \`${extras.htmlReport}\``] : []),
  ];
  return lines.join('\n');
}
