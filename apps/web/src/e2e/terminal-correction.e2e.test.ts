import { buildTargets } from '@symbology/launcher';
import { headers } from '@nats-io/transport-node';
import {
  newTaskId,
  STATUS_REPLACE_HEADER,
  STATUS_VERSION_HEADER,
  subjects,
  type TaskStatus,
} from '@symbology/contracts';
import { taskEvents } from '@symbology/contracts/testing';
import { LIVE_TASK_TABLES, writeStatuses } from '@symbology/db';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, openPage } from '../test-support/browser';
import { TERMINAL_RECHECK_MS } from '../trpc/poll-policy';
import { edgeServers } from '../test-support/edge-servers';

// A task's status corrected after the browser saw it end: the projector's replay (`rebuild --task`,
// `dead-letters retry`) writes a newer version. The page, left alone (no refocus, no reload), must
// come to show it. A web server with its pages (`next build`) on a test system, so the test can
// write the correction as the projector would.

const edge = edgeServers();

describe.skipIf(chromiumMissing)('an ended task corrected later, in a real browser', () => {
  let browser: Browser;

  beforeAll(async () => {
    await buildTargets(['web']);
    browser = await launchChromium();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('the panel takes the correction (a higher version) without a refocus or a reload', async () => {
    const server = await edge.web({ WEB_NEXT_MODE: 'prod' });
    const events = taskEvents(newTaskId(), { ticker: 'CORR' });
    await edge.system.project(events.requested());
    const ended = await edge.system.project(events.ingestFailed());
    expect(ended.status).toBe('failed');

    const page = await openPage(browser);
    // The page's own clock, so the test can move it past the re-read interval instead of waiting it out.
    await page.clock.install();
    await page.goto(`${server.url}/?task=${ended.taskId}`);
    const panel = page.locator('section.ingestion');
    await page.locator('section.ingestion[data-status="failed"]').waitFor({ timeout: 30_000 });

    // The correction, as the projector commits and announces it (apps/projector publish-status):
    // a newer version of the task, marked as replacing what a plain fold holds.
    const corrected: TaskStatus = { ...ended, status: 'cancelled', error: null, version: ended.version + 1 };
    await writeStatuses(edge.system.db.$client, LIVE_TASK_TABLES, [corrected]);
    const projector = await edge.system.nats.connect('projector');
    const h = headers();
    h.set(STATUS_VERSION_HEADER, String(corrected.version));
    h.set(STATUS_REPLACE_HEADER, '1');
    projector.publish(subjects.status(corrected.taskId), JSON.stringify(corrected), { headers: h });
    await projector.flush();
    await projector.close();

    // Still the old state until the next re-read of the ended task, then the correction.
    await expect(panel.getAttribute('data-status')).resolves.toBe('failed');
    await page.clock.fastForward(TERMINAL_RECHECK_MS + 1_000);
    await page.locator('section.ingestion[data-status="cancelled"]').waitFor({ timeout: 15_000 });
    await expect(panel.getAttribute('data-status')).resolves.toBe('cancelled');
    await page.close();
  });
});
