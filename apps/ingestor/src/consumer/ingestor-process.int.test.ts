import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnIngestor, waitFor, type ChildIngestor } from '../testing/child-ingestor';
import { startHarness, type Harness } from '../testing/harness';
import { byType, completion } from '@symbology/contracts/testing';

describe('the ingestor as a process (tsx src/main.ts), killed and stopped mid-task', () => {
  let h: Harness;
  const children: ChildIngestor[] = [];
  beforeAll(async () => {
    h = await startHarness();
  });
  afterEach(() => h.mirror.clearFaults());
  afterAll(async () => {
    for (const c of children) if (c.process.exitCode === null) c.process.kill('SIGKILL');
    await h?.close();
  });
  const spawn = () => {
    const child = spawnIngestor(h, process.env);
    children.push(child);
    return child;
  };

  it('resumes a task after SIGKILL: it completes, no event is stored twice, no row is duplicated', async () => {
    // Slow documents, so the kill lands between two filings.
    h.mirror.inject({ pattern: '/Archives/', delayMs: 700 });
    const first = spawn();
    const taskId = await h.request('SYMB');
    const atKill = await waitFor(
      async () => {
        const stored = await h.stored(taskId);
        return stored.some((s) => s.event.type === 'FilingCompleted') ? stored : undefined;
      },
      30_000,
      'the first FilingCompleted',
    );
    first.process.kill('SIGKILL');
    expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });
    expect(atKill.some((s) => s.event.type === 'IngestCompleted')).toBe(false);
    h.mirror.clearFaults();
    // EDGAR's filing list is down from now on: the resumed task works from what it announced.
    h.mirror.inject({ pattern: '/submissions/', status: 503 });
    h.mirror.clearRequests();

    const second = spawn();
    const events = await h.waitForTerminal(taskId, 30_000);
    expect(byType(events, 'IngestCompleted')).toHaveLength(1);
    expect(completion(events)).toEqual({ outcome: 'completed', completed: 5, partial: 0, failed: 0 });
    expect(h.mirror.requests().filter((r) => r.path.includes('/submissions/'))).toEqual([]);

    const stored = await h.stored(taskId);
    const ids = stored.map((s) => s.event.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(stored.filter((s) => s.event.type === 'CompanyResolved')).toHaveLength(1);
    expect(new Set(byType(events, 'FilingCompleted').map((e) => e.data.accession)).size).toBe(5);

    const factsStored = byType(events, 'FilingCompleted').reduce((n, e) => n + e.data.factsStored, 0);
    const [counts] = await h.sql`
      select (select count(*)::int from companies) as companies, (select count(*)::int from filings) as filings,
             (select count(*)::int from financial_facts) as facts, (select count(*)::int from filing_sections) as sections`;
    expect(counts).toEqual({ companies: 1, filings: 5, facts: factsStored, sections: 15 });

    // The second process picked the request up as a redelivery and resumed it.
    await waitFor(
      async () => (/"delivery":2[^\n]*"msg":"task finished"/.test(second.output()) ? true : undefined),
      5_000,
      'the resume log',
    );
    expect(atKill.filter((s) => s.event.type === 'FilingCompleted').length).toBeLessThan(5);
    second.process.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
  });

  it('drains on SIGTERM: hands the task back after the filing in hand, exits 0, and a restart resumes it', async () => {
    // The first test stored SYMB whole; a new task would have nothing to fetch. Start from nothing.
    await h.sql`delete from filings where cik = '0009999999'`;
    h.mirror.inject({ pattern: '/Archives/', delayMs: 300 });
    const child = spawn();
    const taskId = await h.request('SYMB');
    await waitFor(
      async () => ((await h.stored(taskId)).some((s) => s.event.type === 'FilingStarted') ? true : undefined),
      30_000,
      'the first FilingStarted',
    );
    child.process.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(child.output()).toMatch(/request handed back after the filing in hand/);
    expect(child.output()).toMatch(/ingestor stopped/);
    const atStop = await h.stored(taskId);
    expect(atStop.some((s) => s.event.type === 'IngestCompleted')).toBe(false);
    // The filing in hand was finished, not abandoned.
    const started = atStop.filter((s) => s.event.type === 'FilingStarted').length;
    expect(atStop.filter((s) => s.event.type === 'FilingCompleted')).toHaveLength(started);

    const next = spawn();
    const events = await h.waitForTerminal(taskId, 30_000);
    expect(byType(events, 'IngestCompleted')[0]!.data).toMatchObject({ outcome: 'completed', completed: 5 });
    // Handed back once, so the restart holds the second delivery: the request did not bounce
    // between the draining process's own idle pulls, a delivery spent at each bounce.
    await waitFor(
      async () => (/"delivery":\d+[^\n]*"msg":"task finished"/.test(next.output()) ? true : undefined),
      5_000,
      'the resume log',
    );
    expect(next.output()).toMatch(/"delivery":2[^\n]*"msg":"task finished"/);
    next.process.kill('SIGTERM');
    await next.exited;
  });
});
