import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, openPage } from '../test-support/browser';
import { ARTIFACTS, startWholeSystem, type WholeSystem } from './whole-system';

type Sample = { progress: number; chips: string[]; transport: string | null; stale: boolean };

/** Types a ticker, then samples the panel until the page lands on the company. */
async function ingestAndWatch(
  page: Page,
  system: WholeSystem,
  ticker: string,
  shot: string,
): Promise<{ samples: Sample[]; taskId: string }> {
  await page.goto(system.webUrl);
  await page.getByRole('combobox', { name: 'Ticker or company name' }).fill(ticker);
  await page.keyboard.press('Enter');
  const bar = page.getByRole('progressbar');
  await bar.waitFor({ timeout: 30_000 });
  const samples: Sample[] = [];
  let shotTaken = false;
  let taskId = '';
  while (!page.url().includes('/companies/')) {
    taskId ||= new URL(page.url()).searchParams.get('task') ?? '';
    const sample = await page
      .evaluate(() => ({
        progress: Number(document.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow') ?? -1),
        chips: [...document.querySelectorAll('.chip')].map((c) => c.getAttribute('data-status') ?? ''),
        transport: document.querySelector('[data-transport]')?.getAttribute('data-transport') ?? null,
        stale: document.querySelector('[data-testid=status-stale]') !== null,
      }))
      .catch(() => undefined); // the page navigated mid-evaluate
    if (sample) samples.push(sample);
    if (!shotTaken && sample?.chips.includes('completed') && sample.chips.some((c) => c !== 'completed')) {
      await page.screenshot({ path: `${ARTIFACTS}${shot}`, fullPage: true }).catch(() => {});
      shotTaken = true;
    }
    if (samples.length > 1200)
      throw new Error(`no navigation to the company page; last: ${JSON.stringify(samples.at(-1))}`);
    await page.waitForTimeout(50);
  }
  return { samples, taskId };
}

async function checkCompanyPage(page: Page, shot: string): Promise<void> {
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.getByRole('heading', { name: 'Annual reports' }).waitFor({ timeout: 30_000 });
  expect(await page.locator('.timeline__item').count()).toBe(5);
  expect(await page.locator('.charts svg').count()).toBe(4);
  await expect(page.locator('.financials tbody tr').count()).resolves.toBe(4);
  const business = page.locator('.reader__text');
  await business.locator('h3').waitFor({ timeout: 30_000 });
  expect((await business.innerText()).length).toBeGreaterThan(100);
  await page.getByRole('tab', { name: /Risk Factors/ }).click();
  await expect(page.locator('.reader__text h3').innerText()).resolves.toMatch(/risk factors/i);
  await page.screenshot({ path: `${ARTIFACTS}${shot}`, fullPage: true });
}

function expectAdvancing(samples: Sample[], { seesEachStart }: { seesEachStart: boolean }): void {
  const progress = samples.map((s) => s.progress).filter((p) => p >= 0);
  expect(progress, 'the bar never goes backwards').toEqual([...progress].sort((a, b) => a - b));
  expect(new Set(progress).size, 'the bar moved through several values').toBeGreaterThanOrEqual(3);
  const chipCounts = samples.map((s) => s.chips.filter((c) => c === 'completed').length);
  expect(Math.max(...chipCounts)).toBeGreaterThanOrEqual(4);
  // Live updates show a filing in progress; polling every 1.5 s may step over one.
  if (seesEachStart) expect(samples.some((s) => s.chips.includes('processing'))).toBe(true);
}

describe.skipIf(chromiumMissing)('ingesting an unknown ticker in a real browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  describe('over the WebSocket', () => {
    let system: WholeSystem;
    beforeAll(async () => {
      system = await startWholeSystem('ws');
      await system.slowDocuments(700);
    });
    afterAll(async () => system?.stop());

    it('shows live progress, fills the chips and lands on the company page', async () => {
      const page = await openPage(browser);
      const { samples, taskId } = await ingestAndWatch(page, system, 'symb', 'ws-progress.png');
      expectAdvancing(samples, { seesEachStart: true });
      expect(samples.some((s) => s.transport === 'live')).toBe(true);
      expect(page.url()).toMatch(/\/companies\/SYMB$/);
      await checkCompanyPage(page, 'company-symb.png');
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: `${ARTIFACTS}company-symb-mobile.png`, fullPage: true });
      await page.setViewportSize({ width: 1200, height: 900 });
      await page.goto(`${system.webUrl}/tasks/${taskId}`);
      await page.getByRole('heading', { name: 'Event timeline' }).waitFor();
      await page.locator('.events__item', { hasText: 'IngestCompleted' }).waitFor({ timeout: 30_000 });
      expect(await page.locator('.events__item').count()).toBeGreaterThanOrEqual(2 + 2 * 5);
      await expect(page.getByRole('progressbar').getAttribute('aria-valuenow')).resolves.toBe('100');
      await page.screenshot({ path: `${ARTIFACTS}task-timeline.png`, fullPage: true });
      await page.close();
    });

    it('shows a failed filing with its error on focus, and a known company opens at once', async () => {
      const page = await openPage(browser);
      await page.goto(system.webUrl);
      await page.getByRole('combobox').fill('FLKY');
      await page.keyboard.press('Enter');
      const failed = page.locator('.chip[data-status=failed]').first();
      await failed.waitFor({ timeout: 60_000 });
      await failed.focus();
      await expect(failed.getByRole('tooltip').isVisible()).resolves.toBe(true);
      await expect(failed.getByRole('tooltip').innerText()).resolves.not.toBe('');
      await page.screenshot({ path: `${ARTIFACTS}failed-chip-focus.png`, fullPage: true });
      // A company never ingested is suggested from the ticker map the ingestor stored, without the badge.
      await page.getByRole('combobox').fill('no annual');
      const noar = page.getByRole('option', { name: /NOAR/ });
      await noar.waitFor();
      await expect(noar.locator('.search__badge').count()).resolves.toBe(0);
      // Autocomplete now knows SYMB is ingested; choosing it opens the company without a new task.
      await page.getByRole('combobox').fill('Sym');
      const symb = page.getByRole('option', { name: /SYMB/ });
      await symb.waitFor();
      await expect(symb.getByText('Ingested').isVisible()).resolves.toBe(true);
      await page.screenshot({ path: `${ARTIFACTS}autocomplete.png` });
      await symb.click();
      await page.waitForURL(/\/companies\/SYMB/);
      await page.close();
    });
  });

  describe('with the WebSocket blocked', () => {
    let system: WholeSystem;
    beforeAll(async () => {
      system = await startWholeSystem('polling');
      await system.slowDocuments(2_000);
    });
    afterAll(async () => system?.stop());

    it('completes the same flow by polling', async () => {
      const page = await openPage(browser);
      let attempts = 0;
      await page.routeWebSocket(/\/api\/trpc-ws/, (ws) => {
        attempts++;
        void ws.close({ code: 1011, reason: 'blocked by the test' });
      });
      const { samples } = await ingestAndWatch(page, system, 'SYMB', 'polling-progress.png');
      expect(attempts).toBeGreaterThan(0);
      expect(samples.some((s) => s.transport === 'polling')).toBe(true);
      expect(samples.every((s) => s.transport !== 'live')).toBe(true);
      // Polls answer: the badge says "Polling", and no warning says the status could not be updated.
      expect(samples.filter((s) => s.stale)).toEqual([]);
      expectAdvancing(samples, { seesEachStart: false });
      await checkCompanyPage(page, 'company-symb-polling.png');
      await page.close();
    });

    it('a link to an unknown or garbled task says so in words, without a live badge, and stops asking', async () => {
      const page = await openPage(browser);
      let statusRequests = 0;
      page.on('request', (r) => {
        if (r.url().includes('ingest.status')) statusRequests++;
      });
      for (const taskId of [randomUUID(), 'abc']) {
        await page.goto(`${system.webUrl}/?task=${taskId}`);
        const panel = page.locator('section.ingestion[data-status=missing]');
        await panel.waitFor({ timeout: 30_000 });
        await expect(panel.locator('.ingestion__message').innerText()).resolves.toBe(
          'This link points to no ingestion task.',
        );
        expect(await panel.locator('[data-transport]').count()).toBe(0);
        expect(await panel.getByRole('link', { name: /Task details/ }).count()).toBe(0);
        expect(await panel.innerText()).not.toMatch(/Invalid UUID|No ingestion task/);
        const asked = statusRequests;
        await page.waitForTimeout(4_000); // more than two poll intervals
        expect(statusRequests, `no more status requests for ${taskId}`).toBe(asked);
      }
      await page.screenshot({ path: `${ARTIFACTS}task-link-unknown.png`, fullPage: true });
      await page.close();
    });
  });
});
