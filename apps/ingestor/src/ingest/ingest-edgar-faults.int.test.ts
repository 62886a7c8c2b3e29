import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../testing/harness';
import { byType, completion } from '@symbology/contracts/testing';

const SUBMISSIONS = '/data.sec.gov/submissions/CIK0009999999.json';

// Test-sized retry settings: 3 attempts per request (20 ms base), 3 deliveries per task (200 ms base).
describe('an ingestion task when EDGAR misbehaves (mirror fault injection)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.start({ maxDeliver: 3, retryBaseMs: 200 });
  });
  afterEach(async () => {
    h.mirror.clearFaults();
    h.mirror.clearRequests();
    await h.forgetFilings();
  });
  afterAll(async () => h?.close());

  it('waits out a 429 with Retry-After and then succeeds', async () => {
    h.mirror.inject({ pattern: SUBMISSIONS, status: 429, retryAfter: 1, times: 2 });
    const events = await h.waitForTerminal(await h.request('SYMB'));
    expect(completion(events)).toEqual({ outcome: 'completed', completed: 5, partial: 0, failed: 0 });
    const calls = h.mirror.requests().filter((r) => r.path === SUBMISSIONS);
    expect(calls.map((r) => r.status)).toEqual([429, 429, 200]);
    // Retry-After: 1 was honoured between each attempt.
    expect(calls[1]!.time - calls[0]!.time).toBeGreaterThanOrEqual(950);
    expect(calls[2]!.time - calls[1]!.time).toBeGreaterThanOrEqual(950);
  });

  it('fails the task with edgar_unreachable once 500s outlast every retry and delivery', async () => {
    h.mirror.inject({ pattern: SUBMISSIONS, status: 500 });
    const events = await h.waitForTerminal(await h.request('SYMB'));
    // Each delivery but the last says on the stream why the task waits, and until when.
    expect(events.map((e) => e.type)).toEqual(['IngestRequested', 'IngestDelayed', 'IngestDelayed', 'IngestFailed']);
    const delayed = byType(events, 'IngestDelayed');
    expect(delayed.map((d) => [d.data.attempt, d.data.attempts, d.data.error.code])).toEqual([
      [1, 3, 'edgar_unreachable'],
      [2, 3, 'edgar_unreachable'],
    ]);
    for (const d of delayed) {
      expect(d.data.error.message).toMatch(/HTTP 500/);
      expect(Date.parse(d.data.retryAt)).toBeGreaterThan(Date.parse(d.occurredAt));
    }
    const failed = byType(events, 'IngestFailed')[0]!;
    expect(failed.data.error.code).toBe('edgar_unreachable');
    expect(failed.data.error.message).toMatch(/HTTP 500/);
    // 3 deliveries x 3 attempts: the task was nak'ed and retried before it gave up.
    expect(h.mirror.requests().filter((r) => r.path === SUBMISSIONS)).toHaveLength(9);
  });

  it('retries a truncated submissions response on a later delivery and completes', async () => {
    h.mirror.inject({ pattern: SUBMISSIONS, truncate: true, times: 1 });
    const events = await h.waitForTerminal(await h.request('SYMB'));
    expect(completion(events)).toEqual({ outcome: 'completed', completed: 5, partial: 0, failed: 0 });
    expect(byType(events, 'IngestDelayed').map((d) => [d.data.attempt, d.data.error.code])).toEqual([
      [1, 'edgar_malformed'],
    ]);
    expect(
      h.mirror
        .requests()
        .filter((r) => r.path === SUBMISSIONS)
        .map((r) => r.fault ?? 'ok'),
    ).toEqual(['truncate', 'ok']);
  });

  it('fails the task with edgar_malformed when the submissions stay truncated', async () => {
    h.mirror.inject({ pattern: SUBMISSIONS, truncate: true });
    const events = await h.waitForTerminal(await h.request('SYMB'));
    const failed = byType(events, 'IngestFailed')[0]!;
    expect(failed.data.error.code).toBe('edgar_malformed');
    expect(failed.data.error.message).toMatch(/not valid JSON/);
  });

  it('keeps the facts of a filing whose document keeps answering 500: that filing is partial, its text retryable', async () => {
    h.mirror.inject({ pattern: 'symb-20231231.htm', status: 500 });
    const events = await h.waitForTerminal(await h.request('SYMB'));
    expect(byType(events, 'FilingFailed')).toEqual([]);
    const partial = byType(events, 'FilingCompleted').filter((e) => e.data.outcome === 'partial');
    expect(partial).toHaveLength(1);
    expect(partial[0]!.data).toMatchObject({ accession: '0009999999-24-000002', sectionsStored: 0 });
    expect(partial[0]!.data.factsStored).toBeGreaterThan(10);
    expect(partial[0]!.data.missing.map((m) => [m.part, m.code, m.retryable])).toEqual([
      ['business', 'upstream', true],
      ['risk_factors', 'upstream', true],
      ['mdna', 'upstream', true],
    ]);
    expect(completion(events)).toEqual({ outcome: 'completed_with_errors', completed: 4, partial: 1, failed: 0 });
  });

  it('stores what a document cut short holds and records the sections it lacks as retryable, not as missing for good', async () => {
    // Well framed (matching Content-Length, as a partial cache entry or a broken proxy sends it) and
    // cut in half: the sections past the cut are not in it, which says nothing of the 10-K.
    h.mirror.inject({ pattern: 'symb-20231231.htm', truncate: true });
    const events = await h.waitForTerminal(await h.request('SYMB'));
    const filing = byType(events, 'FilingCompleted').find((e) => e.data.accession === '0009999999-24-000002')!;
    expect(filing.data.outcome).toBe('partial');
    expect(filing.data.missing.length).toBeGreaterThan(0);
    for (const missing of filing.data.missing) {
      expect(missing).toMatchObject({ code: 'document_truncated', retryable: true });
      expect(missing.message).toMatch(/cut short/);
    }
    expect(filing.data.sectionsStored + filing.data.missing.length).toBe(3);
  });

  it('treats a truncated companyfacts like an absent one: facts missing (retryable) on every filing, text still cut', async () => {
    h.mirror.inject({ pattern: 'companyfacts/CIK0009999999.json', truncate: true });
    const events = await h.waitForTerminal(await h.request('SYMB'));
    const done = byType(events, 'FilingCompleted');
    expect(done.map((e) => [e.data.outcome, e.data.factsStored, e.data.sectionsStored])).toEqual(
      Array.from({ length: 5 }, () => ['partial', 0, 3]),
    );
    for (const e of done) {
      expect(e.data.missing).toEqual([
        {
          part: 'facts',
          code: 'facts_unreadable',
          message: expect.stringMatching(/could not be read/),
          retryable: true,
        },
      ]);
    }
    expect(byType(events, 'IngestCompleted')[0]!.data.outcome).toBe('completed_with_errors');
    const [parts] = await h.sql<{ stored: number; missing: number }[]>`
      select count(*) filter (where status = 'stored')::int as stored, count(*) filter (where status = 'missing')::int as missing
      from filing_parts`;
    expect(parts).toEqual({ stored: 15, missing: 5 });
  });
});

describe('an ingestion task when EDGAR answers slowly: its time budget (INGEST_TASK_BUDGET_MS)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.start({ taskBudgetMs: 1_000 });
  });
  afterAll(async () => h?.close());

  it('leaves the documents past its budget for a retry, keeps every filing’s facts, and ends', async () => {
    // Each document takes 700 ms: about two fit in the budget, then the task stops asking.
    h.mirror.inject({ pattern: 'symb-\\d{8}\\.htm$', regex: true, delayMs: 700 });
    const events = await h.waitForTerminal(await h.request('SYMB'));
    const done = byType(events, 'FilingCompleted');
    expect(done).toHaveLength(5);
    expect(done.every((e) => e.data.factsStored > 0)).toBe(true);
    const left = done.filter((e) => e.data.missing.some((m) => m.code === 'task_time_budget'));
    expect(left.length).toBeGreaterThan(0);
    for (const e of left) {
      expect(e.data).toMatchObject({ outcome: 'partial', sectionsStored: 0 });
      expect(e.data.missing.map((m) => [m.part, m.code, m.retryable])).toEqual([
        ['business', 'task_time_budget', true],
        ['risk_factors', 'task_time_budget', true],
        ['mdna', 'task_time_budget', true],
      ]);
    }
    // Not asked for at all: only the documents before the budget ran out were read.
    const asked = h.mirror.requests().filter((r) => r.path.endsWith('.htm'));
    expect(asked).toHaveLength(5 - left.length);
    expect(completion(events)).toMatchObject({ outcome: 'completed_with_errors', failed: 0, partial: left.length });
  });
});
