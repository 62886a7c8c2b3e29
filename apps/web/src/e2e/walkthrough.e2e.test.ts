import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, openPage } from '../test-support/browser';
import { ARTIFACTS, startWholeSystem, type WholeSystem } from './whole-system';

// What a person walking through the site met that read wrong, each fixed and kept fixed here: text
// that overflowed its box on a phone, a failed run that said it "stopped", a chart whose labels
// shrank to 6 px, five links a screen reader could only call "task", a company link's 404 that made
// the person retype the ticker it was for, and a header search too narrow on a phone for its own
// placeholder.

const TERMINAL = ['completed', 'completed_with_errors', 'failed', 'cancelled'];

function openPhone(browser: Browser): Promise<Page> {
  return browser.newPage({ viewport: { width: 390, height: 844 }, reducedMotion: 'reduce' });
}

async function panelEnd(page: Page): Promise<string> {
  await page.waitForFunction(
    (terminal) => terminal.includes(document.querySelector('section.ingestion')?.getAttribute('data-status') ?? ''),
    TERMINAL,
    { timeout: 120_000, polling: 100 },
  );
  return (await page.locator('section.ingestion').getAttribute('data-status')) ?? '';
}

describe.skipIf(chromiumMissing)('a walk through the site, in a real browser', () => {
  let browser: Browser;
  let system: WholeSystem;
  let flakyTaskId = '';

  beforeAll(async () => {
    browser = await launchChromium();
    system = await startWholeSystem('walkthrough');
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('on a phone, a long unbroken query that matches nothing wraps inside its notice', async () => {
    const page = await openPhone(browser);
    await page.goto(system.webUrl);
    await page.getByRole('combobox', { name: 'Ticker or company name' }).fill('y'.repeat(70));
    await page.keyboard.press('Enter');
    const notice = page.locator('.search__none');
    await notice.waitFor({ timeout: 30_000 });
    const box = (await notice.boundingBox())!;
    const echoed = (await notice.locator('strong').boundingBox())!;
    await page.screenshot({ path: `${ARTIFACTS}walkthrough-long-query-phone.png` });
    expect(echoed.x + echoed.width).toBeLessThanOrEqual(box.x + box.width);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await page.close();
  });

  it('a run that tried every filing and stored none says it tried them all, not that it stopped after 3 of 3', async () => {
    const page = await openPage(browser);
    await page.goto(system.webUrl);
    await page.getByRole('combobox', { name: 'Ticker or company name' }).fill('FLKY');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\?task=/, { timeout: 30_000 });
    flakyTaskId = new URL(page.url()).searchParams.get('task') ?? '';
    await expect(panelEnd(page)).resolves.toBe('failed');
    const line = await page.locator('.ingestion__message').innerText();
    await page.screenshot({ path: `${ARTIFACTS}walkthrough-tried-all.png`, fullPage: true });
    expect(line).toBe('Tried all 3 filings.');
    await page.close();
  });

  it("on a phone, the task page's time-per-filing labels stay readable", async () => {
    const page = await openPhone(browser);
    await page.goto(`${system.webUrl}/tasks/${flakyTaskId}`);
    await page.locator('.timing').waitFor({ timeout: 30_000 });
    // Rendered size of a label: the SVG's font size scaled by how much the drawing was shrunk.
    const px = await page.locator('.timing').evaluate((svg) => {
      const label = svg.querySelector('.timing__label')!;
      const scale = svg.getBoundingClientRect().width / (svg as SVGSVGElement).viewBox.baseVal.width;
      return parseFloat(getComputedStyle(label).fontSize) * scale;
    });
    await page.locator('.timing').screenshot({ path: `${ARTIFACTS}walkthrough-timing-phone.png` });
    expect(px).toBeGreaterThanOrEqual(10);
    await page.close();
  });

  it('the "task" links of what is stored are named apart for a screen reader', async () => {
    const page = await openPage(browser);
    await page.goto(`${system.webUrl}/companies/FLKY`);
    const links = page.locator('.holdings').getByRole('link', { name: /^task/ });
    await links.first().waitFor({ timeout: 30_000 });
    const names = await links.evaluateAll((as) => as.map((a) => a.textContent ?? ''));
    expect(names.length).toBe(3);
    expect(new Set(names).size).toBe(3);
    expect(names[0]).toMatch(/^task for FY\d{4} 10-K$/);
    await page.close();
  });

  it("a company page's 404 names the ticker and looks it up in one click", async () => {
    const page = await openPage(browser);
    const response = await page.goto(`${system.webUrl}/companies/NRTH`);
    expect(response?.status()).toBe(404);
    const lookUp = page.getByRole('link', { name: 'Look up NRTH' });
    await expect(lookUp.getAttribute('href')).resolves.toBe('/?q=NRTH');
    await page.screenshot({ path: `${ARTIFACTS}walkthrough-company-404.png` });
    await lookUp.click();
    // The home page looks it up as if typed: NRTH is ingested, and its page opens when it is stored.
    await page.waitForURL((url) => url.pathname === '/', { timeout: 30_000 });
    await page.waitForURL(/\/companies\/NRTH$/, { timeout: 120_000 });
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Northern Test Resources Ltd');
    // An address that holds no ticker is not echoed back as one.
    await page.goto(`${system.webUrl}/companies/not%20a%20ticker`);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Company not found');
    expect(await page.getByRole('link', { name: /^Look up/ }).count()).toBe(0);
    await page.close();
  });

  it("on a phone, the header search's placeholder fits in its box", async () => {
    const page = await openPhone(browser);
    await page.goto(`${system.webUrl}/companies/NRTH`);
    const input = page.getByRole('banner').getByRole('combobox');
    // Where the placeholder's last letter ends, were it drawn whole.
    const end = await input.evaluate((el: HTMLInputElement) => {
      const style = getComputedStyle(el);
      const context = document.createElement('canvas').getContext('2d')!;
      context.font = style.font;
      const textWidth = context.measureText(el.placeholder).width;
      return Math.floor(parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft) + textWidth);
    });
    await page.screenshot({ path: `${ARTIFACTS}walkthrough-header-phone.png` });
    const png = await input.screenshot({ animations: 'disabled', caret: 'hide' });
    // Is there ink in the 5 px before that end? A clipped placeholder leaves them blank.
    const scratch = await browser.newPage();
    const inked = await scratch.evaluate(
      async ({ data, from, to }) => {
        const image = new Image();
        image.src = `data:image/png;base64,${data}`;
        await image.decode();
        const canvas = document.createElement('canvas');
        canvas.width = image.width;
        canvas.height = image.height;
        const context = canvas.getContext('2d')!;
        context.drawImage(image, 0, 0);
        const pixels = context.getImageData(from, 0, to - from, image.height).data;
        for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! < 200) return true;
        return false;
      },
      { data: png.toString('base64'), from: end - 5, to: end },
    );
    await scratch.close();
    expect(inked).toBe(true);
    await page.close();
  });
});
