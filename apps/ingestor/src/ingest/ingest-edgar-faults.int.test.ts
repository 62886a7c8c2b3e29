import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../testing/harness';
import { byType, completion } from '@symbology/contracts/testing';

const SUBMISSIONS = '/data.sec.gov/submissions/CIK0009999999.json';
// PGAP's newest older page (filings.files): two of its five newest 40-Fs are in `recent`, two on this page.
const PGAP_PAGE_1 = '/data.sec.gov/submissions/CIK0009999994-submissions-001.json';

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

  it('takes a 403 for a rate limit that may pass: the task waits and is tried again, the message naming both causes', async () => {
    // SEC's fair-access block; this Retry-After only keeps the test short (without one, SEC's 10 minutes).
    h.mirror.inject({ pattern: SUBMISSIONS, status: 403, retryAfter: 1, times: 3 });
    const events = await h.waitForTerminal(await h.request('SYMB'));
    const delayed = byType(events, 'IngestDelayed');
    expect(delayed.map((d) => [d.data.attempt, d.data.error.code])).toEqual([[1, 'edgar_unreachable']]);
    expect(delayed[0]!.data.error.message).toMatch(/HTTP 403.*fair-access rate.*SEC_USER_AGENT/);
    expect(completion(events)).toEqual({ outcome: 'completed', completed: 5, partial: 0, failed: 0 });
    const calls = h.mirror.requests().filter((r) => r.path === SUBMISSIONS);
    expect(calls.map((r) => r.status)).toEqual([403, 403, 403, 200]);
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

  it('works on the annual reports the recent filings hold when an older page of the list answers 500 on every delivery, and says the gap', async () => {
    h.mirror.inject({ pattern: PGAP_PAGE_1, status: 500 });
    const events = await h.waitForTerminal(await h.request('PGAP'));
    // Each delivery but the last waits for the page, as for the submissions themselves.
    expect(events.map((e) => e.type).slice(0, 4)).toEqual([
      'IngestRequested',
      'IngestDelayed',
      'IngestDelayed',
      'CompanyResolved',
    ]);
    expect(byType(events, 'IngestDelayed').map((d) => d.data.error.message)).toEqual([
      expect.stringMatching(/HTTP 500/),
      expect.stringMatching(/HTTP 500/),
    ]);
    const resolved = byType(events, 'CompanyResolved')[0]!;
    expect(resolved.data.filings.map((f) => [f.form, f.fiscalYear])).toEqual([
      ['40-F', 2025],
      ['40-F', 2024],
    ]);
    expect(resolved.data.listGap).toMatch(
      /CIK0009999994-submissions-001\.json.*HTTP 500 on the task's last attempt; a later request may read it.*on or before 2024-11-20/,
    );
    expect(completion(events)).toEqual({ outcome: 'completed_with_errors', completed: 2, partial: 0, failed: 0 });
    // 3 deliveries x 3 attempts; nothing older than the page that was not read is asked for.
    const pages = h.mirror.requests().filter((r) => r.path.includes('-submissions-'));
    expect(pages.map((r) => r.path)).toEqual(Array.from({ length: 9 }, () => PGAP_PAGE_1));
  });

  it('works on the annual reports the recent filings hold when an older page of the list stays malformed JSON, and says the gap', async () => {
    h.mirror.inject({ pattern: PGAP_PAGE_1, truncate: true });
    const events = await h.waitForTerminal(await h.request('PGAP'));
    expect(byType(events, 'IngestDelayed').map((d) => [d.data.attempt, d.data.error.code])).toEqual([
      [1, 'edgar_malformed'],
      [2, 'edgar_malformed'],
    ]);
    const resolved = byType(events, 'CompanyResolved')[0]!;
    expect(resolved.data.filings.map((f) => f.fiscalYear)).toEqual([2025, 2024]);
    expect(resolved.data.listGap).toMatch(
      /CIK0009999994-submissions-001\.json.*not valid JSON on the task's last attempt/,
    );
    expect(completion(events)).toEqual({ outcome: 'completed_with_errors', completed: 2, partial: 0, failed: 0 });
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

describe('an ingestion task when SEC answers a document 403 without Retry-After (its fair-access block)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.start();
  });
  afterAll(async () => h?.close());

  it('records the text missing as retryable, not for good, and does not ask again into the block', async () => {
    // The oldest of the five, read last: the 403 pauses the shared limiter, and nothing waits on it after.
    const DOCUMENT = 'symb-20211231.htm';
    h.mirror.inject({ pattern: DOCUMENT, status: 403 });
    const events = await h.waitForTerminal(await h.request('SYMB'));
    const filing = byType(events, 'FilingCompleted').find((e) => e.data.accession === '0009999999-22-000002')!;
    expect(filing.data).toMatchObject({ outcome: 'partial', sectionsStored: 0 });
    expect(filing.data.missing.map((m) => [m.part, m.code, m.retryable])).toEqual([
      ['business', 'rate_limited', true],
      ['risk_factors', 'rate_limited', true],
      ['mdna', 'rate_limited', true],
    ]);
    expect(filing.data.missing[0]!.message).toMatch(/HTTP 403.*fair-access rate.*SEC_USER_AGENT/);
    expect(completion(events)).toEqual({ outcome: 'completed_with_errors', completed: 4, partial: 1, failed: 0 });
    // SEC's block lasts about 10 minutes: past the client's longest wait, so the document is asked once.
    expect(h.mirror.requests().filter((r) => r.path.endsWith(DOCUMENT))).toHaveLength(1);
    const [part] = await h.sql<{ status: string; retryable: boolean }[]>`
      select status, retryable from filing_parts where accession = '0009999999-22-000002' and part = 'mdna'`;
    expect(part).toEqual({ status: 'missing', retryable: true });
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
