import { digestMessage } from '../../lambda/report/sns-digest';
import { chatText, MAX_CHAT_ROWS, renderChatNotification } from '../../lambda/report/chat';
import { renderDigest, subjectLine } from '../../lambda/report/digest';
import { chatNotificationSchema, structuredMessageSchema, subjectSchema } from '../support/chat-notification-schema';
import { largeReport } from '../support/large-report';
import { egress, report, result } from '../support/results';

/** The digest's chat form (AWS Chatbot's custom notification) beside its e-mail text, in one SNS message. */

const CAUSE = {
  principalArn: 'arn:aws:sts::111122223333:assumed-role/ci-cleanup/nuke',
  sessionIssuerArn: 'arn:aws:iam::111122223333:role/ci-cleanup',
  eventName: 'DeleteRoute',
  eventTime: '2026-11-26T02:13:07Z',
  sourceIp: null,
  userAgent: 'aws-nuke/3.56.2',
};

/** The message a run publishes, as publishReport builds it. */
function published(sweep: ReturnType<typeof report>, trigger: 'schedule' | 'event' = 'schedule') {
  const digest = renderDigest(sweep, trigger);
  if (!digest) throw new Error('no digest');
  const chat = renderChatNotification(sweep, { title: digest.subject, trigger });
  return { digest, chat, message: digestMessage(digest.message, chat) };
}

test('a night with drift: the chat form lists the rows worst first, says what to do next, and names the statuses', () => {
  const sweep = report([
    result('restored', { accountId: '111111111111', accountName: 'ci-1', cause: CAUSE }),
    result('conflict', { accountId: '222222222222', accountName: 'ci-2' }),
    result('ok', { accountId: '333333333333' }),
  ]);
  const { chat } = published(sweep);
  expect(chatNotificationSchema.parse(chat)).toEqual(chat);
  expect(chat.content.title).toBe('account-janitor: 1 in conflict, 1 repaired');
  expect(chat.content.description.split('\n')).toEqual([
    '**Run** 2026-11-26 01:00 UTC: 1 in conflict, 1 repaired.',
    '- **conflict** ci-2 (222222222222) eu-west-1: conflict message',
    expect.stringMatching(
      /^- \*\*restored\*\* ci-1 \(111111111111\) eu-west-1: restored message; 0\.0\.0\.0\/0 deleted by arn:aws:sts::111122223333:assumed-role\/ci-cleanup\/nuke \\\(aws-nuke\/3\.56\.2\\\) at 2026-11-26 02:13:07 UTC$/,
    ),
    'Not listed: 1 account-region ok.',
  ]);
  expect(chat.content.nextSteps).toEqual([expect.stringMatching(/^Conflict: /), expect.stringMatching(/^Repaired: /)]);
  expect(chat.content.keywords).toEqual(['conflict', 'restored']);
});

test('an event-driven digest: the title names the account-region, what became of it and the call; one thread per account-region', () => {
  const sweep = report([result('restored', { accountId: '111111111111', cause: CAUSE })]);
  const digest = renderDigest(sweep, 'event');
  const chat = renderChatNotification(sweep, {
    title: digest?.subject ?? '',
    trigger: 'event',
    where: { accountId: '111111111111', region: 'eu-west-1' },
  });
  expect(subjectSchema.parse(digest?.subject)).toBe(
    'account-janitor: 111111111111/eu-west-1 restored after DeleteRoute by assumed-role/ci-cleanup/nuke',
  );
  expect(chat.content.title).toBe(digest?.subject);
  expect(chat.metadata).toMatchObject({
    threadId: 'account-janitor/111111111111/eu-west-1',
    additionalContext: { trigger: 'event' },
  });
});

test('what an account name or a message holds renders as text in the channel: no mention, disguised link or emphasis', () => {
  const evil = '<!channel> [Re-authenticate](https://evil.example) *now*';
  const sweep = report([result('conflict', { accountName: evil, message: '`rm -rf` | ~x~ #1 !' })]);
  const { chat } = published(sweep);
  expect(chat.content.description.split('\n')[1]).toBe(
    '- **conflict** ‹\\!channel› \\[Re-authenticate\\]\\(https\\[://\\]evil.example\\) \\*now\\* (111122223333) eu-west-1: \\`rm -rf\\` \\| \\~x\\~ \\#1 \\!',
  );
  expect(chatText('a*b')).toBe('a\\*b');
});

test('the worst night, 17,000 account-regions repaired: 10 rows and how many more, within the limits; the e-mail text is the digest as before', () => {
  const typical = largeReport();
  const worst = {
    ...typical,
    results: typical.results.map((row) =>
      row.region
        ? result('restored', {
            ...row,
            status: 'restored',
            cause: CAUSE,
            message: `${row.message}; ${'x'.repeat(150)}`,
          })
        : row,
    ),
  };
  const { digest, chat, message } = published(worst);
  expect(chatNotificationSchema.parse(chat)).toEqual(chat);
  const rows = chat.content.description.split('\n').filter((line) => line.startsWith('- '));
  expect(rows.length).toBeLessThanOrEqual(MAX_CHAT_ROWS);
  expect(rows.length).toBeGreaterThan(0);
  const listed = worst.results.filter((row) => row.status !== 'skipped').length;
  expect(chat.content.description).toContain(
    `…and ${(listed - rows.length).toLocaleString('en-US')} more (the e-mail lists them, and past its 200 a group the function's log).`,
  );
  const forms = structuredMessageSchema.parse(message);
  expect(forms).toEqual({ default: digest.message, https: JSON.stringify(chat) });
  // A text that leaves no room for the chat form goes alone.
  expect(digestMessage('x'.repeat(262_000), chat)).toBeUndefined();
  expect(subjectSchema.parse(digest.subject)).toBe(digest.subject);
});

test('a subject stays under SNS’s 100 characters and on one line, however long the session name', () => {
  const sso = {
    ...CAUSE,
    principalArn: `arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/${'a'.repeat(40)}@example.com`,
  };
  const sweep = report([
    result('restored', { accountId: '111111111111', cause: sso, egress: egress('egress-restored') }),
  ]);
  const subject = renderDigest(sweep, 'event')?.subject ?? '';
  expect(subject).toHaveLength(99);
  expect(subject).toBe(
    'account-janitor: 111111111111/eu-west-1 restored, egress-restored after DeleteRoute by assumed-rol…',
  );
  expect(subjectSchema.parse(subject)).toBe(subject);
  expect(subjectLine('a\nb\u0007c')).toBe('a b c');
});
