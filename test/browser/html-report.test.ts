/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { SweepReport } from '../../lambda/core/report';
import { CELL_KINDS, heatmapOf, type CellKind } from '../../lambda/report/heatmap';
import { CELL_COLOURS, CONTENT_SECURITY_POLICY, renderHtml } from '../../lambda/report/render-html';
import { contrastRatio, launchChromium } from '../support/browser';
import { largeReport, worstNight } from '../support/large-report';
import { egress, report, result, subnets } from '../support/results';

/**
 * The HTML report in a real browser (Debian's Chromium): it loads with no console error and no
 * request beyond itself, every cell has the colour and the title the report gives it, the letters
 * meet WCAG AA contrast, and a keyboard user can read a cell; under its Content-Security-Policy its
 * style applies and nothing else runs or loads. Screenshots are kept in .bench/browser/ (not
 * committed) to look at.
 */

const SCREENSHOTS = join(__dirname, '..', '..', '.bench', 'browser');
const pages = mkdtempSync(join(tmpdir(), 'janitor-html-'));

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

const rgb = (hex: string) => {
  const [r, g, b] = [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
};

interface Loaded {
  readonly page: Page;
  readonly errors: string[];
  readonly requests: string[];
  /** Requests that failed, and why: `<url> csp` for one the page's policy refused. */
  readonly failed: string[];
}

async function load(name: string, html: string): Promise<Loaded> {
  const file = join(pages, `${name}.html`);
  writeFileSync(file, html);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  const failed: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('requestfailed', (request) => failed.push(`${request.url()} ${request.failure()?.errorText ?? ''}`));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, errors, requests, failed };
}

/** The map's cells as the browser has them, in document order. */
function cellsOf(page: Page) {
  return page.$$eval('table.map td', (cells) =>
    cells.map((cell) => ({
      kind: [...cell.classList].find((name) => name.startsWith('k-'))?.slice(2) ?? null,
      title: cell.getAttribute('title'),
      letter: cell.textContent,
      background: getComputedStyle(cell).backgroundColor,
      colour: getComputedStyle(cell).color,
    })),
  );
}

/** The cells the report gives, in the order the page draws them. */
function expectedCells(sweep: SweepReport) {
  return heatmapOf(sweep).groups.flatMap((group) =>
    group.accounts.flatMap((account) =>
      'account' in account.cells ? [account.cells.account] : account.cells.map((cell) => cell),
    ),
  );
}

async function expectCellsAsReported(page: Page, sweep: SweepReport) {
  const cells = await cellsOf(page);
  const expected = expectedCells(sweep);
  expect(cells.length).toBe(expected.length);
  const letters = new Map(CELL_KINDS.map((kind) => [kind.key, kind.letter]));
  const wrong = cells.filter((cell, index) => {
    const want = expected[index];
    if (!want) return cell.kind !== null;
    return (
      cell.kind !== want.kind ||
      cell.title !== want.title ||
      cell.letter !== letters.get(want.kind) ||
      cell.background !== rgb(CELL_COLOURS[want.kind].background)
    );
  });
  expect(wrong.slice(0, 3)).toEqual([]);
}

const SMALL = {
  ...report([
    result('ok', { accountId: '111111111111', accountName: 'ci-1', region: 'eu-west-1' }),
    result('restored', { accountId: '111111111111', accountName: 'ci-1', region: 'us-east-1' }),
    result('would-restore', { accountId: '222222222222', accountName: 'ci-2', region: 'eu-west-1' }),
    result('conflict', { accountId: '222222222222', accountName: 'ci-2', region: 'us-east-1' }),
    result('repair-failed', {
      accountId: '333333333333',
      accountName: '<img src=x onerror=alert(1)>',
      region: 'eu-west-1',
    }),
    result('region-disabled', {
      accountId: '333333333333',
      accountName: '<img src=x onerror=alert(1)>',
      region: 'us-east-1',
    }),
    result('ignored', { accountId: '444444444444', accountName: 'sandbox-4', region: 'eu-west-1' }),
    result('ok', {
      accountId: '444444444444',
      accountName: 'sandbox-4',
      region: 'us-east-1',
      subnets: subnets('subnets-ok'),
      egress: egress('egress-blocked'),
    }),
    result('access-denied', { accountId: '555555555555', accountName: 'sandbox-5' }),
    result('not-checked', { accountId: '666666666666', accountName: 'sandbox-6', region: 'eu-west-1' }),
  ]),
  organizationId: 'o-a1b2c3d4e5',
  accountOus: {
    '111111111111': 'ou-ab12-11111111',
    '222222222222': 'ou-ab12-11111111',
    '444444444444': 'ou-ab12-22222222',
  },
};

test('a small organization: every kind of cell has its colour, letter and title; nothing else is fetched; text stays text', async () => {
  const { page, errors, requests } = await load('small', renderHtml(SMALL));
  expect(errors).toEqual([]);
  expect(requests).toEqual([expect.stringMatching(/^file:.*small\.html$/)]);
  await expectCellsAsReported(page, SMALL);
  // Every kind but `absent`'s sibling shows up here; the legend names every kind with its count.
  const legend = await page.$$eval('.legend li', (items) => items.map((item) => item.textContent));
  expect(legend).toEqual(
    CELL_KINDS.map(({ key, letter, label }) => `${letter}${label}: ${heatmapOf(SMALL).counts[key]}`),
  );
  // An account name is text, never markup.
  expect(await page.$$('img, script')).toEqual([]);
  expect(await page.textContent('body')).toContain('<img src=x onerror=alert(1)> (333333333333)');
  // Grouped by OU, the accounts of no OU last.
  expect(await page.$$eval('table.map th.ou', (headings) => headings.map((heading) => heading.textContent))).toEqual([
    'OU ou-ab12-11111111 (2 accounts)',
    'OU ou-ab12-22222222 (1 account)',
    'Accounts named by id, or of the whole organization (3 accounts)',
  ]);
  await page.screenshot({ path: join(SCREENSHOTS, 'small.png'), fullPage: true });
  await page.close();
});

test('the page carries its Content-Security-Policy, keeps its style under it, and holds no script', async () => {
  const { page, errors } = await load('policy', renderHtml(SMALL));
  const policy = await page.$$eval('meta[http-equiv]', (metas) =>
    metas.map((meta) => [meta.getAttribute('http-equiv'), meta.getAttribute('content')]),
  );
  expect(policy).toEqual([['Content-Security-Policy', CONTENT_SECURITY_POLICY]]);
  expect(CONTENT_SECURITY_POLICY).toBe(
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
  );
  // The inline style sheet applies: the verdict's weight, the map's font, each cell's colours.
  const styled = await page.evaluate(() => ({
    verdict: getComputedStyle(document.querySelector('.verdict') as Element).fontWeight,
    map: getComputedStyle(document.querySelector('table.map') as Element).borderCollapse,
  }));
  expect(styled).toEqual({ verdict: '600', map: 'collapse' });
  await expectCellsAsReported(page, SMALL);
  // Nothing to run: no script, no handler attribute, no link, and nothing the policy refused.
  expect(await page.$$('script, link, iframe, object, embed, base, form')).toEqual([]);
  const handlers = await page.$$eval('*', (elements) =>
    elements.flatMap((element) => element.getAttributeNames().filter((name) => name.startsWith('on'))),
  );
  expect(handlers).toEqual([]);
  expect(errors).toEqual([]);
  await page.close();
});

test('what an escaping slip would let into the page is refused by its policy: no script runs, nothing loads', async () => {
  const slip =
    '<script>document.title = "ran"</script><img src="https://evil.example/p.png" onerror="document.title = \'ran\'">' +
    '<base href="https://evil.example/"><form action="https://evil.example/"><button id="go">go</button></form>';
  const { page, errors, failed } = await load('slip', renderHtml(SMALL).replace('</body>', `${slip}</body>`));
  // The form's submission is refused too (form-action): no navigation to wait for.
  const refused = page.waitForEvent('console', {
    predicate: (message) => message.text().includes('form-action'),
    timeout: 5000,
  });
  await page.click('#go', { noWaitAfter: true });
  await refused;
  expect(await page.title()).not.toBe('ran');
  expect(page.url()).toMatch(/^file:.*slip\.html$/);
  // The image is refused before it is sent (the browser names it a request, and fails it).
  expect(failed).toEqual(['https://evil.example/p.png csp']);
  // Each refusal is the policy's (script, image, its handler, base, form), said on the console.
  expect(errors.length).toBeGreaterThan(0);
  expect(errors.filter((error) => !/Content Security Policy/.test(error))).toEqual([]);
  await page.close();
});

test("the letters meet WCAG AA contrast on every kind's colour", async () => {
  const { page } = await load('legend', renderHtml(SMALL));
  const keys = await page.$$eval('.legend .key', (swatches) =>
    swatches.map((swatch) => ({
      colour: getComputedStyle(swatch).color,
      background: getComputedStyle(swatch).backgroundColor,
    })),
  );
  expect(keys).toHaveLength(CELL_KINDS.length);
  for (const [index, key] of keys.entries()) {
    expect([CELL_KINDS[index]?.key, contrastRatio(key.colour, key.background) >= 4.5]).toEqual([
      CELL_KINDS[index]?.key,
      true,
    ]);
  }
  await page.close();
});

test('a keyboard user reaches the cells that need attention and reads what a hover shows', async () => {
  const { page } = await load('focus', renderHtml(SMALL));
  const focusable: string[] = await page.$$eval('table.map td[tabindex]', (cells: Element[]) =>
    cells.map((cell) => cell.className),
  );
  // Every cell but the ok and the nothing-to-check ones: 8 of SMALL's 11.
  const attention: CellKind[] = ['failed', 'not-checked', 'person', 'drift', 'repaired', 'ignored'];
  expect(focusable).toHaveLength(8);
  expect(focusable.every((name) => attention.includes(name.slice(2) as CellKind))).toBe(true);
  await page.focus('table.map td[tabindex]');
  const shown = await page.evaluate(() => {
    const cell = document.activeElement as HTMLElement;
    return { title: cell.getAttribute('title'), after: getComputedStyle(cell, '::after').content };
  });
  expect(shown.after).toBe(JSON.stringify(shown.title));
  await page.close();
});

test('1,000 accounts × 17 regions: one page under 3 MB that the browser draws with every cell as reported', async () => {
  const sweep = largeReport();
  const html = renderHtml(sweep);
  expect(Buffer.byteLength(html)).toBeLessThan(3 * 1024 * 1024);
  const { page, errors, requests } = await load('large', html);
  expect(errors).toEqual([]);
  expect(requests).toHaveLength(1);
  await expectCellsAsReported(page, sweep);
  await page.screenshot({ path: join(SCREENSHOTS, 'large.png') });
  await page.close();
}, 120_000);

test('10,000 accounts × 17 regions on the worst night: a page under 10 MB that the browser draws with the cells its map keeps, the rest counted', async () => {
  const sweep = worstNight(largeReport(10_000));
  const html = renderHtml(sweep);
  expect(Buffer.byteLength(html)).toBeLessThan(10 * 1024 * 1024);
  const { page, errors, requests } = await load('worst-10000', html);
  expect(errors).toEqual([]);
  expect(requests).toHaveLength(1);
  await expectCellsAsReported(page, sweep);
  expect(await page.textContent('body')).toMatch(/of its 10,000 accounts, [\d,]+ drawn; [\d,]+ more not drawn/);
  await page.close();
}, 120_000);
