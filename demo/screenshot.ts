import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../test/support/browser';
import { DEMO_HTML_REPORT } from './scenario';

/**
 * `npm run demo:screenshot`: the README's picture of the HTML report, taken in headless Chromium
 * from the page `npm run demo` writes (.demo/report.html) into docs/images/html-report.png.
 */

const OUT = join(__dirname, '..', 'docs', 'images', 'html-report.png');

async function main(): Promise<void> {
  if (!existsSync(DEMO_HTML_REPORT)) throw new Error(`no ${DEMO_HTML_REPORT}: run npm run demo first`);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1000 }, deviceScaleFactor: 1 });
    await page.goto(pathToFileURL(DEMO_HTML_REPORT).href, { waitUntil: 'load' });
    mkdirSync(dirname(OUT), { recursive: true });
    await page.screenshot({ path: OUT, fullPage: false });
    process.stdout.write(`${OUT}\n`);
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`screenshot: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
