import type { SweepReport } from '../core/report';
import type { RestoreTrigger } from '../core/restore-triggers';
import { renderChatNotification, type ChatNotification } from './chat';
import type { Digest } from './digest';

/**
 * The run's digest as SNS publishes it: the text (digest.ts) with the held-back line and the HTML
 * page's S3 URI, and beside it the chat form in one message (`MessageStructure: json`) when both
 * fit; the text alone when they do not. A pure function, so the size of what goes out is tested.
 */

/** SNS's largest message, in bytes (the whole message, every protocol's form together). */
export const MAX_SNS_MESSAGE = 262_144;

export interface DigestExtras {
  readonly trigger: 'schedule' | 'manual' | 'event' | 'restore';
  readonly restoredOn?: RestoreTrigger | undefined;
  /** Event-driven digests of this account-region held back before this one. */
  readonly heldBack?: number;
  /** The run's HTML report, where htmlReport wrote it. */
  readonly page?: string | undefined;
  /** The account-region of an event-driven run. */
  readonly where?: { readonly accountId: string; readonly region: string } | undefined;
}

export interface SnsDigest {
  readonly subject: string;
  /** What Publish sends as `Message`. */
  readonly message: string;
  /** `message` is the JSON of a form per protocol (`MessageStructure: json`). */
  readonly structured: boolean;
}

/** The digest's text as it goes out: the message, the held-back line, the page. */
function digestText(digest: Digest, { heldBack = 0, page }: DigestExtras): string {
  const held =
    heldBack > 0
      ? `\n${heldBack} earlier event-driven digest${heldBack === 1 ? '' : 's'} of this account-region ${heldBack === 1 ? 'was' : 'were'} held back (at most one an hour; the function's logs have every run).\n`
      : '';
  return `${digest.message}${held}${page ? `\nThe HTML report of this run: ${page}\n` : ''}`;
}

/**
 * One SNS message, a form per protocol (`MessageStructure: json`): the text by default (e-mail,
 * queues), AWS Chatbot's custom notification over https. Both must fit in one message; when they
 * do not, `undefined`: the text goes alone.
 */
export function digestMessage(text: string, chat: ChatNotification): string | undefined {
  const message = JSON.stringify({ default: text, https: JSON.stringify(chat) });
  return Buffer.byteLength(message) <= MAX_SNS_MESSAGE ? message : undefined;
}

/** What to publish for a digest (renderDigest's): its subject, and the message in one form or both. */
export function snsDigestOf(report: SweepReport, digest: Digest, extras: DigestExtras): SnsDigest {
  const text = digestText(digest, extras);
  const chat = renderChatNotification(report, {
    title: digest.subject,
    trigger: extras.trigger,
    heldBack: extras.heldBack ?? 0,
    htmlReport: extras.page,
    where: extras.where,
  });
  const structured = digestMessage(text, chat);
  return structured
    ? { subject: digest.subject, message: structured, structured: true }
    : { subject: digest.subject, message: text, structured: false };
}
