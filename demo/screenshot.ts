import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ChatNotification } from '../lambda/report/chat';
import { escapeHtml } from '../lambda/report/render-html';
import { launchChromium } from '../test/support/browser';
import { DEMO_CHAT_MESSAGE, DEMO_HTML_REPORT } from './scenario';

/**
 * `npm run demo:screenshot`: the README's pictures, taken in headless Chromium from what
 * `npm run demo` writes: the HTML report (.demo/report.html) and the digest's chat form
 * (.demo/chat-message.json), drawn as a chat client lays out a custom notification (title, the
 * Markdown description, next steps, keywords). That card is a rendering of the message, not a
 * screenshot of Slack or Teams.
 */

const IMAGES = join(__dirname, '..', 'docs', 'images');

/** The little Markdown the description uses: **bold**, `code`, "- " rows, backslash escapes. */
function markdown(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const html = escapeHtml(line)
        .replace(/\\(.)/g, '$1')
        .replace(/\*\*(.+?)\*\*/g, '<b>$1</b>')
        .replace(/`(.+?)`/g, '<code>$1</code>');
      return line.startsWith('- ') ? `<li>${html.slice(2)}</li>` : `<p>${html}</p>`;
    })
    .join('\n')
    .replace(/(<li>[\s\S]*<\/li>)/, '<ul>$1</ul>');
}

function card(chat: ChatNotification): string {
  const steps = (chat.content.nextSteps ?? []).map((step) => `<li>${escapeHtml(step)}</li>`).join('');
  const keywords = (chat.content.keywords ?? []).map((word) => `<span>${escapeHtml(word)}</span>`).join(' ');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><style>
body{font:15px/1.45 system-ui,sans-serif;margin:0;padding:24px;background:#fff;color:#1d1c1d;width:820px}
.msg{display:flex;gap:12px}.avatar{width:40px;height:40px;border-radius:6px;background:#232f3e;color:#ff9900;font:700 13px/40px system-ui;text-align:center}
.who b{margin-right:6px}.who span{color:#616061;font-size:12px}.card{border-left:4px solid #ff9900;padding:4px 12px;margin-top:6px}
h1{font-size:16px;margin:0 0 6px}p{margin:2px 0}ul{margin:4px 0;padding-left:20px}code{background:#f4f4f4;border:1px solid #ddd;border-radius:3px;padding:0 3px;font-size:13px}
h2{font-size:14px;margin:10px 0 2px}.kw span{display:inline-block;background:#e8f0fe;border-radius:10px;padding:0 8px;font-size:12px;margin-right:4px}
</style></head><body><div class="msg"><div class="avatar">AWS</div><div><div class="who"><b>Amazon Q</b><span>APP</span></div>
<div class="card"><h1>${escapeHtml(chat.content.title).replace(/\\(.)/g, '$1')}</h1>${markdown(chat.content.description)}
<h2>Next steps</h2><ul>${steps}</ul><div class="kw">${keywords}</div></div></div></div></body></html>`;
}

async function main(): Promise<void> {
  for (const file of [DEMO_HTML_REPORT, DEMO_CHAT_MESSAGE]) {
    if (!existsSync(file)) throw new Error(`no ${file}: run npm run demo first`);
  }
  const cardFile = join(tmpdir(), 'account-janitor-chat-card.html');
  writeFileSync(cardFile, card(JSON.parse(readFileSync(DEMO_CHAT_MESSAGE, 'utf8')) as ChatNotification));
  const browser = await launchChromium();
  try {
    mkdirSync(IMAGES, { recursive: true });
    const report = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
    await report.goto(pathToFileURL(DEMO_HTML_REPORT).href, { waitUntil: 'load' });
    await report.screenshot({ path: join(IMAGES, 'html-report.png') });
    const chat = await browser.newPage({ viewport: { width: 880, height: 400 } });
    await chat.goto(pathToFileURL(cardFile).href, { waitUntil: 'load' });
    await chat.screenshot({ path: join(IMAGES, 'chat-message.png'), fullPage: true });
    process.stdout.write(`${join(IMAGES, 'html-report.png')}\n${join(IMAGES, 'chat-message.png')}\n`);
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`screenshot: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
