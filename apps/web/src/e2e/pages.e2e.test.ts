import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, openPage } from '../test-support/browser';
import { ARTIFACTS, startWholeSystem, type WholeSystem } from './whole-system';

/** SYMB's FY2023 10-K (filed 2024): its document answers 503 until the fault is cleared. */
const FY2023_FOLDER = '/000999999924000002/';
const TERMINAL = ['completed', 'completed_with_errors', 'failed', 'cancelled'];

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}${name}`, fullPage: true });
}

/** Waits for the progress panel to reach a terminal state and answers it. */
async function panelEnd(page: Page): Promise<string> {
  const panel = page.locator('section.ingestion');
  await page.waitForFunction(
    (terminal) => terminal.includes(document.querySelector('section.ingestion')?.getAttribute('data-status') ?? ''),
    TERMINAL,
    { timeout: 120_000, polling: 100 },
  );
  return (await panel.getAttribute('data-status')) ?? '';
}

/**
 * Types `text` into the search box on the home page and presses Enter on its top suggestion
 * (`option`), then waits for the ingestion it starts; answers the task id.
 */
async function ingestFromSearch(page: Page, webUrl: string, text: string, option: RegExp): Promise<string> {
  await page.goto(webUrl);
  await page.getByRole('combobox').fill(text);
  await page.getByRole('option', { name: option }).waitFor();
  await page.keyboard.press('Enter'); // no arrow key: Enter takes the top suggestion
  await page.waitForURL(/\?task=/, { timeout: 30_000 });
  return new URL(page.url()).searchParams.get('task') ?? '';
}

describe.skipIf(chromiumMissing)('what a person meets on the pages, in a real browser', () => {
  let browser: Browser;
  let system: WholeSystem;
  let partialTaskId = '';

  beforeAll(async () => {
    browser = await launchChromium();
    system = await startWholeSystem('pages');
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('search: nonsense says so instead of ingesting, and autocomplete never sends what the API refuses', async () => {
    const page = await openPage(browser);
    const refused: string[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/api/trpc/') && r.status() >= 400) refused.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(system.webUrl);
    const box = page.getByRole('combobox', { name: 'Ticker or company name' });
    await box.fill('qqq nothing like this');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status').innerText()).resolves.toMatch(/No company matches/);
    expect(page.url()).not.toContain('task=');
    await shot(page, 'search-no-match.png');
    // The box keeps 60 characters, and the query it sends for them (after its debounce) is answered.
    const answered = page.waitForResponse(
      (r) => r.url().includes('company.search') && r.url().includes('x'.repeat(60)),
    );
    await box.fill('x'.repeat(200));
    await expect(box.inputValue()).resolves.toHaveLength(60);
    await expect(answered.then((r) => r.status())).resolves.toBe(200);
    expect(refused).toEqual([]);

    // A valid ticker nobody lists may be asked for anyway, with no untrue guess about why it is missing.
    await box.fill('ZZZZZZ');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status').innerText()).resolves.toMatch(/SEC's ticker list has no ZZZZZZ\./);
    // A proxy answering in plain text, then no network at all: said in words, never a parser's error or nothing.
    await page.route(
      (url) => url.pathname.includes('ingest.request'),
      (route) => route.fulfill({ status: 503, contentType: 'text/plain', body: 'upstream down' }),
    );
    await page.getByRole('button', { name: 'Ask EDGAR for ZZZZZZ anyway' }).click();
    const alert = page.getByRole('search').getByRole('alert');
    await expect(alert.innerText()).resolves.toBe("Couldn't reach Symbology; try again in a moment.");
    await page.route(
      (url) => url.pathname.includes('company.search'),
      (route) => route.abort('internetdisconnected'),
    );
    await page.goto(system.webUrl);
    await expect(alert.count()).resolves.toBe(0);
    await box.fill('apple');
    await page.keyboard.press('Enter');
    await expect(alert.innerText()).resolves.toBe("Couldn't reach Symbology; try again in a moment.");
    await page.close();
  });

  it('a run with a failed filing keeps its summary and every reason on screen (Enter on a name picks its ticker)', async () => {
    system.mirror.inject({ pattern: FY2023_FOLDER, status: 503 });
    const page = await openPage(browser);
    partialTaskId = await ingestFromSearch(page, system.webUrl, 'symbology', /SYMB/);
    await page.locator('section.ingestion h2', { hasText: 'SYMB' }).waitFor({ timeout: 30_000 });
    await expect(panelEnd(page)).resolves.toBe('completed_with_errors');
    // A clean success moves on to the company page at once; this run must stay (1.5 s is ample).
    await expect(page.waitForURL(/\/companies\//, { timeout: 1_500 })).rejects.toThrow(/Timeout/);
    expect(page.url()).toContain(`task=${partialTaskId}`);
    await expect(page.locator('section.ingestion h2').innerText()).resolves.toBe(
      'SYMB: ingestion finished with errors',
    );
    await expect(page.locator('.ingestion__summary').innerText()).resolves.toMatch(/of 5 annual reports stored whole/);
    const problem = page.locator('.problems__item', { hasText: 'FY2023' });
    await expect(problem.isVisible()).resolves.toBe(true); // as text, without hovering
    await expect(problem.innerText()).resolves.toMatch(/503|unavailable|try again/i);
    await expect(page.locator('section.ingestion').getAttribute('data-tone')).resolves.toBe('warn');
    await shot(page, 'partial-run.png');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'partial-run-mobile.png');
    await page.close();
  });

  it('the company page is whole in the server HTML: SEC links, a five-year trend with values on focus', async () => {
    const page = await openPage(browser);
    const response = await page.goto(`${system.webUrl}/companies/SYMB`);
    expect(response?.status()).toBe(200);
    await page.locator('.company__head h1').waitFor();
    const sec = page.locator('.timeline a[href^="https://www.sec.gov/Archives/edgar/data/9999999/"]');
    expect(await sec.count()).toBeGreaterThanOrEqual(4);
    // The mirror's address is never the document link; it may only appear as an extra 'local copy'.
    for (const link of await page.locator('.timeline a[target=_blank]').all()) {
      const href = (await link.getAttribute('href')) ?? '';
      if (!href.startsWith('https://www.sec.gov/')) await expect(link.innerText()).resolves.toMatch(/local copy/);
    }
    expect(await page.locator('.charts svg').count()).toBe(4);
    // Per fiscal year what is stored and what is missing, with the reason and the task that tried.
    const fy2023 = page.locator('.holdings tr', { hasText: 'FY2023' });
    await expect(fy2023.getAttribute('data-complete')).resolves.toBe('false');
    await expect(fy2023.locator('.holdings__cell--missing').count()).resolves.toBe(3); // the text parts
    await expect(page.locator('.holdings__reasons > li', { hasText: 'FY2023' }).innerText()).resolves.toMatch(
      /Business, Risk factors, MD&A missing: .*HTTP 503/,
    );
    await expect(fy2023.getByRole('link', { name: 'task' }).getAttribute('href')).resolves.toBe(
      `/tasks/${partialTaskId}`,
    );
    expect(await page.locator('.holdings tr[data-complete=true]').count()).toBe(4);
    const labels = await page.locator('.charts .chart').first().locator('.chart__label').allInnerTexts();
    expect(labels.length).toBeGreaterThanOrEqual(4);
    expect(labels).toEqual([...labels].sort());
    const bar = page.locator('.chart__bar-group').last();
    await expect(bar.locator('.chart__value').isVisible()).resolves.toBe(false);
    await bar.focus();
    await expect(bar.locator('.chart__value').isVisible()).resolves.toBe(true);
    // A reason names the document by its file name; the whole address is only in its tooltip.
    const reasons = page.locator('.holdings__reasons');
    await expect(reasons.innerText()).resolves.not.toMatch(/https?:\/\//);
    await expect(reasons.locator('.reason__url').first().getAttribute('title')).resolves.toMatch(/^https?:\/\//);
    await shot(page, 'company-partial.png');
    // On a phone the newest year shows before any scrolling, and the caption wraps to the screen.
    await page.setViewportSize({ width: 375, height: 812 });
    const years = (await page.locator('.financials thead th').allInnerTexts()).slice(1);
    expect(years).toEqual([...years].sort().reverse());
    const newest = await page.locator('.financials thead th').nth(1).boundingBox();
    expect((newest?.x ?? Infinity) + (newest?.width ?? 0)).toBeLessThanOrEqual(375);
    const caption = await page.locator('.financials__caption').boundingBox();
    expect((caption?.x ?? Infinity) + (caption?.width ?? 0)).toBeLessThanOrEqual(375);
    await shot(page, 'company-partial-mobile.png');
    await page.close();

    // Without JavaScript: the same content, and the section tabs are links that work.
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1200, height: 900 } });
    const noJs = await context.newPage();
    await noJs.goto(`${system.webUrl}/companies/SYMB`);
    await expect(noJs.locator('.company__head h1').innerText()).resolves.toBe('Symbology Test Corp');
    expect(await noJs.locator('.charts svg').count()).toBe(4);
    expect((await noJs.locator('.reader__text').innerText()).length).toBeGreaterThan(100);
    await noJs.getByRole('tab', { name: /Risk Factors/ }).click();
    await noJs.waitForURL(/section=risk_factors/);
    await expect(noJs.locator('.reader__text h3').innerText()).resolves.toMatch(/risk factors/i);
    await shot(noJs, 'company-no-js.png');
    // An update that was due but found the queue full: said above what is stored, only then.
    expect(await noJs.getByTestId('update-deferred').count()).toBe(0);
    await noJs.goto(`${system.webUrl}/companies/SYMB?update=deferred`);
    await expect(noJs.getByTestId('update-deferred').innerText()).resolves.toMatch(
      /update from EDGAR is due, but .*queue is full, so none was started: this is what was stored before/,
    );
    expect(await noJs.locator('.charts svg').count()).toBe(4);
    await context.close();
  });

  it("the task page charts each filing's time", async () => {
    const page = await openPage(browser);
    const response = await page.goto(`${system.webUrl}/tasks/${partialTaskId}`);
    expect(response?.status()).toBe(200);
    await page.locator('.timing').waitFor();
    expect(await page.locator('.timing__row').count()).toBe(5);
    await expect(
      page.locator('.timing__row:not([data-status=completed]) .timing__label').textContent(),
    ).resolves.toMatch(/FY2023/);
    await expect(page.getByRole('button', { name: 'Retry failed filings' }).isVisible()).resolves.toBe(true);
    await shot(page, 'task-timing.png');
    await page.close();
  });

  it('"Retry failed filings" on the company page fetches what was missing and completes the company', async () => {
    system.mirror.clearFaults();
    system.mirror.clearRequests();
    // Slow enough that the line can be read while the filing is worked on.
    await system.slowDocuments(1_500);
    const page = await openPage(browser);
    await page.goto(`${system.webUrl}/companies/SYMB`);
    await page.getByRole('button', { name: 'Retry failed filings' }).click();
    const line = page.locator('.background-task');
    await line.waitFor({ timeout: 30_000 });
    expect(page.url()).toMatch(/\?updating=/);
    // The line says what the task does, not only that something runs.
    await page.waitForFunction(
      () =>
        /Ingesting 10-K for fiscal 2023 \(1 of 1\) \(\d+%\)/.test(
          document.querySelector('.background-task')?.textContent ?? '',
        ),
      null,
      { timeout: 30_000, polling: 50 },
    );
    system.mirror.clearFaults();
    await page.waitForFunction(
      (terminal) => terminal.includes(document.querySelector('.background-task')?.getAttribute('data-status') ?? ''),
      TERMINAL,
      { timeout: 120_000, polling: 100 },
    );
    await expect(line.getAttribute('data-status')).resolves.toBe('completed');
    // The page reads the company again when the retry ends: every year whole now.
    await page.waitForFunction(() => document.querySelectorAll('.holdings tr[data-complete=true]').length === 5, null, {
      timeout: 30_000,
    });
    expect(await page.getByRole('button', { name: 'Retry failed filings' }).count()).toBe(0);
    // Only the document that had failed was fetched again.
    const documents = system.mirror.requests().filter((r) => r.path.includes('/Archives/edgar/data/'));
    const refetched = documents.map((r) => r.path);
    expect(refetched.length, 'the failed document was fetched again').toBeGreaterThan(0);
    expect(
      refetched.filter((p) => !p.includes(FY2023_FOLDER)),
      'documents already stored are not fetched again',
    ).toEqual([]);
    await shot(page, 'company-after-retry.png');
    await page.close();
  });

  it('answers a real 404 page for an unknown company, a malformed task id and an unknown task', async () => {
    const page = await openPage(browser);
    for (const [path, heading, name] of [
      ['/companies/ZZZZ', 'Company not found', 'not-found-company.png'],
      ['/companies/not%20a%20ticker', 'Company not found', undefined],
      ['/tasks/not-a-uuid', 'Task not found', 'not-found-task.png'],
      [`/tasks/${randomUUID()}`, 'Task not found', undefined],
    ] as const) {
      const response = await page.goto(`${system.webUrl}${path}`);
      expect(response?.status(), path).toBe(404);
      await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(heading);
      expect(await page.locator('[data-transport]').count(), 'no live badge on a 404').toBe(0);
      if (name) await shot(page, name);
    }
    await page.close();
  });

  it('a company with no annual report: the panel is not green, and its page says so in a card', async () => {
    const page = await openPage(browser);
    await ingestFromSearch(page, system.webUrl, 'NOAR', /NOAR/);
    await expect(panelEnd(page)).resolves.toBe('failed');
    await expect(page.locator('section.ingestion').getAttribute('data-tone')).resolves.toBe('bad');
    expect(await page.getByRole('button', { name: 'Retry failed filings' }).count()).toBe(0);
    await shot(page, 'no-annual-reports-panel.png');
    const response = await page.goto(`${system.webUrl}/companies/NOAR`);
    expect(response?.status()).toBe(200);
    const card = page.locator('.empty');
    await expect(card.innerText()).resolves.toMatch(/No annual report of No Annual Reports Holdings is stored/);
    await expect(card.innerText()).resolves.toMatch(/EDGAR lists no 10-K, 20-F or 40-F/);
    expect(await page.locator('.charts, .holdings, .reader').count()).toBe(0);
    await shot(page, 'company-no-annual-reports.png');
    // "Look it up again" asks for it, as Enter on the home page would, and opens what that answers.
    const asked = page.waitForResponse((r) => r.url().includes('ingest.request'), { timeout: 15_000 });
    await card.getByRole('link', { name: 'Look it up again' }).click();
    await expect(asked.then((r) => r.status())).resolves.toBe(200);
    await page.waitForURL(/\/companies\/NOAR/, { timeout: 30_000 });
    await page.close();
  });

  it('the header search on the task and company pages looks a company up as the home page does, on a phone', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 }, reducedMotion: 'reduce' });
    await page.goto(`${system.webUrl}/tasks/${partialTaskId}`);
    const search = page.getByRole('search');
    const box = search.getByRole('combobox', { name: 'Look up a ticker or company' });
    const form = await search.boundingBox();
    expect((form?.x ?? Infinity) + (form?.width ?? 0)).toBeLessThanOrEqual(375);
    await shot(page, 'header-search-mobile.png');
    await box.fill('NOAR');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/companies\/NOAR/, { timeout: 30_000 });
    // By name (an ingested company, so nothing new starts), keyboard only: Tab from the brand link.
    await page.getByRole('link', { name: 'Symbology', exact: true }).focus();
    await page.keyboard.press('Tab');
    await page.keyboard.type('symbology');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/companies\/SYMB/, { timeout: 30_000 });
    // The home page has the full search box only.
    await page.goto(system.webUrl);
    expect(await page.getByRole('combobox', { name: 'Look up a ticker or company' }).count()).toBe(0);
    await expect(page.getByRole('combobox', { name: 'Ticker or company name' }).isVisible()).resolves.toBe(true);
    await page.close();
  });

  it('a company whose every filing failed: its page says nothing is stored, in a card, with each reason', async () => {
    const page = await openPage(browser);
    await ingestFromSearch(page, system.webUrl, 'FLKY', /FLKY/);
    await expect(panelEnd(page)).resolves.toBe('failed');
    await expect(page.locator('section.ingestion').getAttribute('data-tone')).resolves.toBe('bad');
    await expect(page.locator('.problems__item').count()).resolves.toBe(3);
    // Every part of every filing is missing for good (404s): a retry would get the same answers.
    expect(await page.getByRole('button', { name: /Retry/ }).count()).toBe(0);
    await shot(page, 'all-failed-panel.png');
    await page.goto(`${system.webUrl}/companies/FLKY`);
    await expect(page.locator('.empty').innerText()).resolves.toMatch(
      /No annual report of Flaky Filings Inc is stored/,
    );
    expect(await page.locator('.holdings tr[data-complete=false]').count()).toBe(3);
    expect(await page.locator('.charts').count()).toBe(0);
    await shot(page, 'company-nothing-stored.png');
    await page.close();
  });
  it('a company whose filing list EDGAR served in part: it says while it waits on EDGAR, then ends amber with the gap said', async () => {
    // EDGAR answers 503 to every attempt of the first delivery (EDGAR_MAX_ATTEMPTS, 4 by default).
    system.mirror.inject({ pattern: 'submissions/CIK0009999994.json', status: 503, retryAfter: 0, times: 4 });
    const page = await openPage(browser);
    await ingestFromSearch(page, system.webUrl, 'PGAP', /PGAP/);
    await page.waitForFunction(
      () =>
        /Waiting \d+ s to try again \(attempt 2 of \d+\): EDGAR .*HTTP 503/.test(
          document.querySelector('.ingestion__message')?.textContent ?? '',
        ),
      undefined,
      { timeout: 60_000, polling: 100 },
    );
    await shot(page, 'delayed-panel.png');
    await expect(panelEnd(page)).resolves.toBe('completed_with_errors');
    const panel = page.locator('section.ingestion');
    await expect(panel.getAttribute('data-tone')).resolves.toBe('warn');
    await expect(panel.locator('.chips li').count()).resolves.toBe(4);
    await expect(page.getByTestId('ingestion-gap').innerText()).resolves.toMatch(
      /EDGAR did not serve part of this company's filing list \(CIK0009999994-submissions-002\.json.*could not be looked for/,
    );
    // Nothing a retry of this task could add: its filings are whole, and a retry does not read the list.
    expect(await page.getByRole('button', { name: /Retry/ }).count()).toBe(0);
    await shot(page, 'filing-list-gap-panel.png');
    await page.close();
  });

  it('"Cancel" stops a running ingestion after the filing in hand; "Ingest the rest" picks it up again', async () => {
    // NRTH's facts come slowly, so the task is still on its first filing when the button is pressed.
    system.mirror.inject({ pattern: 'companyfacts/CIK0009999995', delayMs: 15_000 });
    const page = await openPage(browser);
    await ingestFromSearch(page, system.webUrl, 'NRTH', /NRTH/);
    const cancel = page.getByRole('button', { name: 'Cancel' });
    await cancel.click({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Cancelling…' }).waitFor();
    await expect(panelEnd(page)).resolves.toBe('cancelled');
    system.mirror.clearFaults();
    await expect(page.locator('section.ingestion h2').innerText()).resolves.toBe('NRTH: ingestion cancelled');
    await expect(page.locator('section.ingestion').innerText()).resolves.toMatch(/not attempted/);
    await shot(page, 'cancelled-panel.png');
    // What was cancelled can be picked up again: the rest is ingested, the facts fetched this time.
    await page.getByRole('button', { name: 'Ingest the rest' }).click();
    // A clean run ends on the company page, every year whole.
    await page.waitForURL(/\/companies\/NRTH/, { timeout: 60_000 });
    await page.waitForFunction(() => document.querySelectorAll('.holdings tr[data-complete=true]').length === 5, null, {
      timeout: 30_000,
    });
    // No operating cash flow among NRTH's facts: said in words, not drawn as an empty chart.
    expect(await page.locator('.charts svg').count()).toBe(3);
    await expect(page.locator('.chart', { hasText: 'Operating cash flow' }).innerText()).resolves.toMatch(
      /Not reported/,
    );
    // The reader says why there is no text, and where to read it.
    await expect(page.locator('.reader__text').innerText()).resolves.toMatch(
      /does not cut the text of a 40-F into sections\. Read the whole report on SEC/,
    );
    await shot(page, 'company-40-f.png');
    await page.close();
  });
});
