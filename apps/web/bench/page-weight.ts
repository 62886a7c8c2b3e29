// pnpm --filter @symbology/web bench:pages [-- --runs 5]
// What a first visit to the company page costs, in a real Chromium against the whole system built
// for production (the launcher builds what is stale): time to first contentful paint, time until
// the company's name and its financials are on screen, and the JavaScript transferred. Every run
// is a new browser context (cold cache). Prints one JSON line and a table.
import { parseArgs } from 'node:util';
import { isTerminalState } from '@symbology/contracts';
import { createSymbologyClient } from '@symbology/client';
import type { Page } from 'playwright-core';
import { startWholeSystem } from '../src/e2e/whole-system';
import { launchChromium } from '../src/test-support/browser';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { runs: { type: 'string', default: '5' }, ticker: { type: 'string', default: 'SYMB' } },
});
const RUNS = Number(values.runs);
const TICKER = values.ticker;

type Run = { fcpMs: number; headingMs: number; financialsMs: number; jsBytes: number; scripts: number };

/** Milliseconds since navigation start when `selector` first matched, watched from the first byte. */
const WATCH = `
  window.__seen = {};
  const watch = (name, selector) => {
    const check = () => {
      if (!window.__seen[name] && document.querySelector(selector)) window.__seen[name] = performance.now();
    };
    new MutationObserver(check).observe(document, { childList: true, subtree: true });
    document.addEventListener('DOMContentLoaded', check);
  };
  watch('heading', '.company__head h1');
  watch('financials', '.charts svg');
`;

async function measure(page: Page, url: string): Promise<Run> {
  await page.addInitScript(WATCH);
  await page.goto(url, { waitUntil: 'load' });
  await page.locator('.charts svg').first().waitFor({ timeout: 30_000 });
  await page.waitForLoadState('networkidle');
  return page.evaluate(() => {
    const w = window as unknown as { __seen: Record<string, number> };
    const scripts = performance
      .getEntriesByType('resource')
      .filter((e) => (e as PerformanceResourceTiming).initiatorType === 'script') as PerformanceResourceTiming[];
    return {
      fcpMs: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1,
      headingMs: w.__seen.heading ?? -1,
      financialsMs: w.__seen.financials ?? -1,
      jsBytes: scripts.reduce((sum, e) => sum + e.transferSize, 0),
      scripts: scripts.length,
    };
  });
}

/** Whether the page shows the company with JavaScript off: the read-only parts must not need it. */
async function withoutJs(url: string, browser: Awaited<ReturnType<typeof launchChromium>>) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const response = await page.goto(url);
  const heading = await page.locator('.company__head h1').count();
  const charts = await page.locator('.charts svg').count();
  const html = (await response?.text()) ?? '';
  await context.close();
  return { status: response?.status(), heading, charts, htmlBytes: html.length };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? -1;

const system = await startWholeSystem('bench-pages');
const browser = await launchChromium();
try {
  const client = createSymbologyClient({ url: system.webUrl, wsUrl: system.webUrl.replace(/^http/, 'ws') });
  const asked = await client.api.ingest.request.mutate({ ticker: TICKER });
  if (asked.status !== 'exists') {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const status = await client.api.ingest.status.query({ taskId: asked.taskId });
      if (isTerminalState(status.status)) break;
      if (Date.now() > deadline) throw new Error(`ingestion of ${TICKER} did not end: ${status.message}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  await client.close();
  const url = `${system.webUrl}/companies/${TICKER}`;
  // One warm-up: the server compiles nothing in production, but its caches and the JIT are cold.
  const warm = await browser.newContext();
  await measure(await warm.newPage(), url);
  await warm.close();
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    runs.push(await measure(await context.newPage(), url));
    await context.close();
  }
  const result = {
    page: `/companies/${TICKER}`,
    runs: RUNS,
    fcpMs: Math.round(median(runs.map((r) => r.fcpMs))),
    headingMs: Math.round(median(runs.map((r) => r.headingMs))),
    financialsMs: Math.round(median(runs.map((r) => r.financialsMs))),
    jsKiB: Math.round(median(runs.map((r) => r.jsBytes)) / 1024),
    scripts: median(runs.map((r) => r.scripts)),
    noJs: await withoutJs(url, browser),
  };
  console.log(JSON.stringify(result));
  console.table(runs.map((r) => ({ ...r, fcpMs: Math.round(r.fcpMs), jsKiB: Math.round(r.jsBytes / 1024) })));
} finally {
  await browser.close();
  await system.stop();
}
