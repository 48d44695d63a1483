import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { renderHtml } from '../lambda/report/render-html';
import { launchChromium } from '../test/support/browser';
import { largeReport, worstNight } from '../test/support/large-report';

/**
 * Section 5: the HTML report of `accounts` accounts × 17 regions (`--render-accounts`, 1,000 by
 * default) in Debian's headless Chromium: its size, the time to render it in process, and the time
 * from opening the file to the first frame painted after the load event (the median of 5 loads). A typical night (about 2 % of the cells
 * need attention) and the worst one (every account-region repaired, every cell focusable).
 */

const LOADS = 5;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export async function htmlBenchmark(say: (text: string) => void, accounts = 1000) {
  const browser = await launchChromium();
  const folder = mkdtempSync(join(tmpdir(), 'janitor-bench-html-'));
  const screenshots = join(__dirname, '..', '.bench', 'browser');
  mkdirSync(screenshots, { recursive: true });
  const results: Record<string, unknown> = {};
  try {
    for (const [night, make] of [
      ['typical', () => largeReport(accounts)],
      ['worst', () => worstNight(largeReport(accounts))],
    ] as const) {
      const report = make();
      const start = performance.now();
      const html = renderHtml(report);
      const renderMs = Math.round((performance.now() - start) * 10) / 10;
      const file = join(folder, `${night}.html`);
      writeFileSync(file, html);
      const loads: number[] = [];
      for (let load = 0; load < LOADS; load += 1) {
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        const opened = performance.now();
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
        // Two animation frames after the load: the first frame with the map laid out is painted.
        await page.evaluate(
          () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(undefined)))),
        );
        loads.push(Math.round(performance.now() - opened));
        if (load === 0) await page.screenshot({ path: join(screenshots, `bench-${night}.png`) });
        await page.close();
      }
      const measured = {
        cells: report.results.length,
        sizeMb: Math.round((Buffer.byteLength(html) / 2 ** 20) * 100) / 100,
        renderMs,
        browserMs: { median: median(loads), max: Math.max(...loads) },
      };
      results[night] = measured;
      say(
        `${night} night (${measured.cells.toLocaleString('en-US')} rows): ${measured.sizeMb} MB, rendered in ${renderMs} ms, ` +
          `opened to first painted frame in Chromium ${measured.browserMs.median} ms (median of ${LOADS}; max ${measured.browserMs.max} ms)`,
      );
    }
  } finally {
    await browser.close();
  }
  return results;
}
