import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, openPage } from '../test-support/browser';
import { ARTIFACTS, startWholeSystem, type WholeSystem } from './whole-system';

const UNREACHABLE = "Couldn't reach Symbology; try again in a moment.";

describe.skipIf(chromiumMissing)('the search boxes, in a real browser', () => {
  let browser: Browser;
  let system: WholeSystem;

  beforeAll(async () => {
    browser = await launchChromium();
    system = await startWholeSystem('search');
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it("the header's search suggests as the home page's does, and a suggestion taken there is looked up", async () => {
    const page = await openPage(browser);
    // The home page's box suggests SYMB (SEC's ticker map has reached the database).
    await page.goto(system.webUrl);
    await page.getByRole('combobox', { name: 'Ticker or company name' }).fill('symbology');
    await page.getByRole('option', { name: /SYMB/ }).waitFor({ timeout: 60_000 });
    // Any other page: its header's box suggests the same.
    await page.goto(`${system.webUrl}/tasks/${randomUUID()}`);
    const header = page.getByRole('banner').getByRole('search');
    await header.getByRole('combobox').fill('symbology');
    await header.getByRole('option', { name: /SYMB/ }).waitFor({ timeout: 10_000 });
    // Below the box, not over it.
    const box = await header.getByRole('combobox').boundingBox();
    const list = await header.getByRole('listbox').boundingBox();
    expect(list!.y).toBeGreaterThanOrEqual(box!.y + box!.height - 1);
    await page.screenshot({ path: `${ARTIFACTS}header-search-suggestions.png` });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/' && url.search !== '', { timeout: 10_000 });
    expect(new URL(page.url()).searchParams.get('q') ?? new URL(page.url()).searchParams.get('task')).toBeTruthy();
    await page.close();
  });

  it('Enter with the server unreachable says so at once, without retrying first', async () => {
    const page = await openPage(browser);
    await page.goto(system.webUrl);
    await page.route(
      (url) => url.pathname.includes('/api/trpc/'),
      (route) => route.abort('connectionrefused'),
    );
    const box = page.getByRole('combobox', { name: 'Ticker or company name' });
    await box.fill('apple');
    const pressed = Date.now();
    await page.keyboard.press('Enter');
    const alert = page.getByRole('search').getByRole('alert');
    await alert.waitFor({ timeout: 10_000 });
    const waitedMs = Date.now() - pressed;
    await expect(alert.innerText()).resolves.toBe(UNREACHABLE);
    // The client's default for queries is 2 retries, 1 s then 2 s apart: about 3 s of nothing.
    expect(waitedMs).toBeLessThan(1_500);
    await page.close();
  });
});
