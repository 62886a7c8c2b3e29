import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { createStepEvent, evolve, type TaskStatus } from '@symbology/contracts';
import { publishEvent } from '@symbology/service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTaskEvents } from './task-history';
import { startHarness, type Harness } from '../testing/harness';
import { byType } from '@symbology/contracts/testing';

/** SYMB's primary documents, as the mirror logs their paths. */
const DOCUMENTS = '/www.sec.gov/Archives/edgar/data/9999999/';

/** As the API's ingest.cancel does: IngestCancelRequested on ingest.<taskId>.cancel_requested, as the web user. */
function askToCancel(web: JetStreamClient, taskId: string) {
  const now = new Date();
  return publishEvent(
    web,
    createStepEvent(
      { taskId, correlationId: taskId, causationId: null, now: () => now },
      { type: 'IngestCancelRequested', data: { requestedBy: 'int-test', requestedAt: now.toISOString() } },
    ),
  );
}

describe('cancelling a running ingestion', () => {
  let h: Harness;
  let web: JetStreamClient;
  beforeAll(async () => {
    h = await startHarness();
    web = jetstream(await h.nats.connect('web'));
    await h.start();
  });
  afterAll(async () => h?.close());

  it('stops after the filing in hand and ends cancelled, truthful about what it stored', async () => {
    // Each primary document takes 1.5 s: the task is still on its first filings when the cancel lands.
    h.mirror.inject({ pattern: DOCUMENTS, delayMs: 1_500 });
    const taskId = await h.request('SYMB');
    const deadline = Date.now() + 20_000;
    while (!(await readTaskEvents(h.js, h.jsm, taskId)).some((e) => e.type === 'FilingStarted')) {
      if (Date.now() > deadline) throw new Error('the task never started a filing');
      await new Promise((r) => setTimeout(r, 50));
    }
    await askToCancel(web, taskId);
    const events = await h.waitForTerminal(taskId);
    h.mirror.clearFaults();

    const terminals = events.filter((e) => ['IngestCompleted', 'IngestFailed', 'IngestCancelled'].includes(e.type));
    expect(terminals.map((e) => e.type)).toEqual(['IngestCancelled']);
    const cancelled = byType(events, 'IngestCancelled')[0]!.data;
    const started = byType(events, 'FilingStarted').map((e) => e.data.accession);
    const finished = [...byType(events, 'FilingCompleted'), ...byType(events, 'FilingFailed')].map(
      (e) => e.data.accession,
    );
    // Every filing started was finished (the one in hand), none was started after the cancel, and the rest are counted.
    expect(finished).toEqual(started);
    expect(started.length).toBeGreaterThanOrEqual(1);
    expect(started.length).toBeLessThan(5);
    expect(cancelled.completed + cancelled.partial + cancelled.failed).toBe(started.length);
    expect(cancelled.notAttempted).toBe(5 - started.length);
    // Only the filings worked on were fetched: no document of a filing never started.
    const fetched = h.mirror.requests().filter((r) => r.path.startsWith(DOCUMENTS));
    expect(fetched).toHaveLength(started.length);

    const status = events.reduce<TaskStatus | undefined>((s, e, i) => evolve(s, e, i + 1), undefined)!;
    expect(status.status).toBe('cancelled');
    expect(status.filings.filter((f) => f.status === 'not_attempted')).toHaveLength(cancelled.notAttempted);
    const stored = await h.sql`select accession from filings where cik = '0009999999'`;
    expect(stored.map((r) => r.accession).sort()).toEqual(
      byType(events, 'FilingCompleted')
        .map((e) => e.data.accession)
        .sort(),
    );
  });
});

describe('a task cancelled before any ingestor picked it up', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('ends cancelled without reading EDGAR for the task', async () => {
    const web = jetstream(await h.nats.connect('web'));
    const taskId = await h.request('SYMB');
    await askToCancel(web, taskId);
    await h.start();
    const events = await h.waitForTerminal(taskId);
    expect(events.map((e) => e.type)).toEqual(['IngestRequested', 'IngestCancelRequested', 'IngestCancelled']);
    expect(byType(events, 'IngestCancelled')[0]!.data).toMatchObject({ completed: 0, notAttempted: 0 });
    // Every ingestor reads the ticker map when it starts; the task itself read nothing.
    expect(h.mirror.requests().filter((r) => !r.path.endsWith('/company_tickers.json'))).toEqual([]);
  });
});
