import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumMissing = existsSync(CHROMIUM)
  ? undefined
  : `no Chromium at ${CHROMIUM} (apt-get install -y chromium)`;

/**
 * Debian's headless Chromium with nothing that phones home. Playwright gives every launch() a new
 * empty profile directory of its own (it refuses an explicit --user-data-dir here).
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A desktop-sized page that asks for reduced motion, as a person may: the progress bar then takes
 * its width at once, so a screenshot shows the state the test just awaited.
 */
export function openPage(browser: Browser): Promise<Page> {
  return browser.newPage({ viewport: { width: 1200, height: 900 }, reducedMotion: 'reduce' });
}
