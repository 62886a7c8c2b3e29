import { jetstream } from '@nats-io/jetstream';
import { createStepEvent, evolve, isTerminalEvent, type IngestEvent, type TaskStatus } from '@symbology/contracts';
import { byType } from '@symbology/contracts/testing';
import { publishEvent } from '@symbology/service';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readTaskEvents } from './task-history';
import { startHarness, type Harness } from '../testing/harness';

/** SYMB's FY2023 report: the third of its five, the one each test cuts off. */
const FY2023_DOCUMENT = 'symb-20231231.htm';

const fold = (events: IngestEvent[]) =>
  events.reduce<TaskStatus | undefined>((s, e, i) => evolve(s, e, i + 1), undefined);

describe('a task cut off part-way says what it stored', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());
  beforeEach(async () => {
    h.mirror.clearFaults();
    await h.forgetFilings();
  });

  /** Facts Postgres holds per fiscal year of SYMB. */
  const factsByYear = async () => {
    const rows = await h.sql<{ fiscal_year: number; facts: number }[]>`
      select f.fiscal_year, (select count(*)::int from financial_facts x where x.cik = f.cik and x.accession = f.accession) facts
      from filings f where f.cik = '0009999999'`;
    return new Map(rows.map((r) => [r.fiscal_year, r.facts]));
  };

  const filingStarted = async (taskId: string, fiscalYear: number) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const events = await readTaskEvents(h.js, h.jsm, taskId);
      if (byType(events, 'FilingStarted').some((e) => e.data.fiscalYear === fiscalYear)) return;
      if (Date.now() > deadline) throw new Error(`FY${fiscalYear} never started`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('ends a task stalled on its last delivery with what it stored: completed with errors, never "failed"', async () => {
    // The FY2023 document hangs past INGEST_STALL_MS on the only delivery, after its facts are stored.
    // A stall of 3 s, not less: on a slow machine the first report alone took over a second between
    // two steps, and the task was cut off there instead.
    const ingestor = await h.start({ maxDeliver: 1, stallMs: 3_000, ackWaitMs: 5_000 });
    h.mirror.inject({ pattern: FY2023_DOCUMENT, delayMs: 10_000 });
    const taskId = await h.request('SYMB');
    const events = await h.waitForTerminal(taskId, 60_000);
    await ingestor.stop();

    expect(events.filter(isTerminalEvent).map((e) => e.type)).toEqual(['IngestCompleted']);
    expect(byType(events, 'IngestCompleted')[0]!.data).toEqual({
      outcome: 'completed_with_errors',
      completed: 2,
      partial: 1,
      failed: 2,
    });
    const status = fold(events)!;
    const byYear = new Map(status.filings.map((f) => [f.fiscalYear, f]));
    // What the task stored before it was cut off shows, and Postgres holds it.
    const facts = await factsByYear();
    expect(byYear.get(2023)).toMatchObject({ status: 'partial' });
    expect(facts.get(2023)).toBeGreaterThan(0);
    const cut = byType(events, 'FilingCompleted').find((e) => e.data.accession === byYear.get(2023)!.accession)!;
    expect(cut.data.factsStored).toBe(facts.get(2023));
    expect(cut.data.missing.map((m) => [m.code, m.retryable])).toEqual(
      cut.data.missing.map(() => ['task_interrupted', true]),
    );
    expect(cut.data.missing.length).toBeGreaterThan(0);
    // The reports it never reached hold nothing and say so, retryable.
    for (const year of [2022, 2021]) {
      expect(byYear.get(year)).toMatchObject({ status: 'failed' });
      expect(byYear.get(year)!.error).toMatch(/interrupted before it reached this filing/);
      expect(facts.get(year) ?? 0).toBe(0);
    }
    expect(status.status).toBe('completed_with_errors');
  }, 90_000);

  it('counts the filing a cancelled task was cut off in by what it stored', async () => {
    // Delivery 1 stalls in FY2023's document after its facts are stored; the cancel lands meanwhile,
    // and delivery 2 stops at once: FY2023 must not read as "not attempted" nor lose its facts.
    const ingestor = await h.start({ maxDeliver: 3, stallMs: 1_000, ackWaitMs: 3_000, retryBaseMs: 1_500 });
    h.mirror.inject({ pattern: FY2023_DOCUMENT, delayMs: 6_000, times: 1 });
    const taskId = await h.request('SYMB');
    await filingStarted(taskId, 2023);
    const web = jetstream(await h.nats.connect('web'));
    const now = new Date();
    await publishEvent(
      web,
      createStepEvent(
        { taskId, correlationId: taskId, causationId: null, now: () => now },
        { type: 'IngestCancelRequested', data: { requestedBy: 'int-test', requestedAt: now.toISOString() } },
      ),
    );
    const events = await h.waitForTerminal(taskId, 60_000);
    await ingestor.stop();

    const cancelled = byType(events, 'IngestCancelled')[0]!.data;
    expect(cancelled).toMatchObject({ completed: 2, partial: 1, failed: 0, notAttempted: 2 });
    const status = fold(events)!;
    const fy2023 = status.filings.find((f) => f.fiscalYear === 2023)!;
    expect(fy2023.status).toBe('partial');
    expect((await factsByYear()).get(2023)).toBeGreaterThan(0);
    expect(status.filings.filter((f) => f.status === 'not_attempted').map((f) => f.fiscalYear)).toEqual([2022, 2021]);
  }, 90_000);
});
