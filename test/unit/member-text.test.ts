import { renderDoctorTable } from '../../cli/doctor/render';
import { textLogger } from '../../cli/report/cli-log';
import { markdownCell, renderMarkdown } from '../../cli/report/render-markdown';
import { renderTable } from '../../cli/report/render-table';
import { chatText, renderChatNotification } from '../../lambda/report/chat';
import { renderDigest } from '../../lambda/report/digest';
import { BIDI_CONTROLS } from '../../lambda/report/display-text';
import { renderHtml } from '../../lambda/report/render-html';
import { report, result } from '../support/results';

/**
 * Text a member account controls (its name, who made the breaking call, AWS's words quoting a
 * request) rendered everywhere a person reads it: the terminal (the table, the log lines, doctor),
 * the Markdown, the HTML page, the chat card and the digest. No bidirectional control survives,
 * and no line break of the member's makes a line of its own.
 */

const [LRE, , PDF, , RLO, LRI, , , PDI] = BIDI_CONTROLS;
const BIDI = new RegExp(`[${BIDI_CONTROLS.join('')}]`);

const CAUSE = {
  principalArn: `arn:aws:sts::111111111111:assumed-role/ci/${RLO}ekun${PDF}`,
  sessionIssuerArn: 'arn:aws:iam::111111111111:role/ci-cleanup',
  eventName: 'DeleteRoute',
  eventTime: '2026-11-26T02:13:07Z',
  sourceIp: null,
  userAgent: 'aws-nuke/3.56.2',
};

const SWEEP = {
  ...report([
    result('repair-failed', {
      accountId: '111111111111',
      accountName: `ci-${RLO}exe.txt${PDF}`,
      message: `CreateRoute failed: the tag value ${LRI}x${PDI} ${LRE}is invalid${PDF}\nrestored: everything is fine`,
      cause: CAUSE,
    }),
  ]),
  accountOus: { '111111111111': 'ou-ab12-11111111' },
  ouNames: { 'ou-ab12-11111111': `sandbox${RLO}` },
};

test('the table, Markdown and HTML page show the text without its controls, each row on its line', () => {
  const table = renderTable(SWEEP, { columns: 400 });
  expect(table).not.toMatch(BIDI);
  expect(table.split('\n').filter((line) => line.includes('111111111111'))).toEqual([
    expect.stringContaining('the tag value x is invalid restored: everything is fine'),
  ]);
  expect(table).toContain('ci-exe.txt (111111111111)');
  const markdown = renderMarkdown(SWEEP);
  expect(markdown).not.toMatch(BIDI);
  expect(markdown).toContain('| ci-exe.txt \\(111111111111\\) | eu-west-1 | repair-failed |');
  const html = renderHtml(SWEEP);
  expect(html).not.toMatch(BIDI);
  expect(html).toContain('<td>ci-exe.txt (111111111111)</td>');
  expect(html).toContain('OU sandbox (ou-ab12-11111111)');
});

test('the chat card and the digest show it without its controls; the digest keeps a row on one line', () => {
  const digest = renderDigest(SWEEP, 'event');
  expect(digest?.subject).toBe(
    'account-janitor: 111111111111/eu-west-1 repair-failed after DeleteRoute by assumed-role/ci/ekun',
  );
  expect(digest?.message).not.toMatch(BIDI);
  expect(digest?.message.split('\n').filter((line) => line.includes('111111111111'))).toEqual([
    expect.stringMatching(/^ {2}111111111111 \(ci-exe\.txt\) eu-west-1 rtb-1 repair-failed: .* restored: everything/),
  ]);
  const chat = renderChatNotification(SWEEP, { title: digest?.subject ?? '', trigger: 'event' });
  expect(JSON.stringify(chat)).not.toMatch(BIDI);
  expect(chat.content.description.split('\n')[1]).toMatch(/^- \*\*repair-failed\*\* ci-exe\.txt \(111111111111\)/);
});

test('doctor and the log lines on a terminal show it without its controls', () => {
  const doctor = renderDoctorTable({
    stackName: 'AccountJanitor',
    region: 'eu-west-1',
    rows: [
      { check: `account 111111111111 (ci-${RLO}exe.txt)`, status: 'fail', detail: `AccessDenied: ${LRI}no${PDI}\nx` },
    ],
  });
  expect(doctor).not.toMatch(BIDI);
  expect(doctor).toContain('account 111111111111 (ci-exe.txt)  fail    AccessDenied: no x');
  const written: string[] = [];
  textLogger((text) => written.push(text), undefined).warn(`route repair failed ${RLO}`, {
    principal: CAUSE.principalArn,
    detail: { message: `a${LRI}b` },
  });
  expect(written).toEqual([
    'warn route repair failed  principal=arn:aws:sts::111111111111:assumed-role/ci/ekun detail={"message":"ab"}\n',
  ]);
});

test('chat: `&` is escaped and `://` broken in text from AWS, so no link, mention or character reference forms', () => {
  expect(chatText('R&D')).toBe('R\\&D');
  // A character reference would bring back what was taken out: a mention, a control.
  expect(chatText('&lt;!channel&gt; &#x202E;')).toBe('\\&lt;\\!channel\\&gt; \\&\\#x202E;');
  expect(chatText('see https://evil.example/login')).toBe('see https\\[://\\]evil.example/login');
  expect(chatText('slack://open ftp://x s3://bucket/key')).toBe(
    'slack\\[://\\]open ftp\\[://\\]x s3\\[://\\]bucket/key',
  );
  expect(chatText(`${RLO}https:/${PDF}/evil.example`)).toBe('https\\[://\\]evil.example');
  // What the janitor says itself is left alone: only text from AWS goes through chatText.
  const chat = renderChatNotification(report([result('conflict', { message: 'see https://evil.example' })]), {
    title: 'account-janitor: 1 in conflict',
    htmlReport: 's3://bucket/reports/x.html',
  });
  expect(chat.content.description).toContain(': see https\\[://\\]evil.example');
  expect(chat.content.description).toContain('HTML report: `s3://bucket/reports/x.html`');
});

test('Markdown: `&` is an entity, so no character reference brings back a control or markup', () => {
  expect(markdownCell('R&D')).toBe('R&amp;D');
  expect(markdownCell('&#x202E;&#8238;&lt;img&gt;')).toBe('&amp;#x202E;&amp;#8238;&amp;lt;img&amp;gt;');
  expect(markdownCell(`${RLO}a|b`)).toBe('a\\|b');
});
