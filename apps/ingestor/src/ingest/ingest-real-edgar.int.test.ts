import type { IngestEvent } from '@symbology/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR, hasShared, SHARED_DIR } from '../edgar/test-data';
import { startHarness, type Harness } from '../testing/harness';

const byType = <T extends IngestEvent['type']>(events: IngestEvent[], type: T) =>
  events.filter((e): e is Extract<IngestEvent, { type: T }> => e.type === type);

// The recorded SEC responses live beside the checkout; without them there is nothing to replay.
describe.skipIf(!hasShared)('ingestion of real recorded EDGAR data (AAPL, TSLA, TSM)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ roots: [FIXTURES_DIR, SHARED_DIR] });
    await h.start();
  });
  afterAll(async () => h?.close());

  it('AAPL: five 10-Ks selected; the recorded FY2024 document gives facts and three sections, the absent ones fail with a 404 message', async () => {
    const events = await h.waitForTerminal(await h.request('AAPL'), 60_000);
    const resolved = byType(events, 'CompanyResolved')[0]!;
    expect(resolved.data.cik).toBe('0000320193');
    expect(resolved.data.filings).toHaveLength(5);
    expect(resolved.data.filings.every((f) => f.form === '10-K')).toBe(true);
    const completed = byType(events, 'FilingCompleted');
    expect(completed.map((c) => c.data.accession)).toEqual(['0000320193-24-000123']);
    expect(completed[0]!.data.factsStored).toBeGreaterThan(100);
    expect(completed[0]!.data.sectionsStored).toBe(3);
    const failed = byType(events, 'FilingFailed');
    expect(failed).toHaveLength(4);
    for (const f of failed) {
      expect(f.data.error.code).toBe('not_found');
      expect(f.data.error.message).toMatch(/HTTP 404/);
      expect(f.data.retryable).toBe(false);
    }
    expect(byType(events, 'IngestCompleted')[0]!.data).toEqual({
      outcome: 'completed_with_errors',
      completed: 1,
      partial: 0,
      failed: 4,
    });
    const [risk] =
      await h.sql`select char_count from filing_sections where accession = '0000320193-24-000123' and section = 'risk_factors'`;
    expect(Number(risk?.char_count)).toBeGreaterThan(10_000);
  });

  it('TSLA: completes with the FY2024 10-K stored (sections, no companyfacts recorded) and the rest failed', async () => {
    const events = await h.waitForTerminal(await h.request('TSLA'), 60_000);
    expect(byType(events, 'CompanyResolved')[0]!.data.filings).toHaveLength(5);
    const completed = byType(events, 'FilingCompleted');
    expect(completed.map((c) => c.data.accession)).toEqual(['0001628280-25-003063']);
    expect(completed[0]!.data).toMatchObject({ factsStored: 0, sectionsStored: 3 });
    expect(byType(events, 'IngestCompleted')[0]!.data).toEqual({
      outcome: 'completed_with_errors',
      completed: 1,
      partial: 0,
      failed: 4,
    });
  });

  it('TSM: a foreign filer whose 20-F reports are selected; no document recorded, so every filing fails and the task completes', async () => {
    const events = await h.waitForTerminal(await h.request('TSM'), 60_000);
    const resolved = byType(events, 'CompanyResolved')[0]!;
    expect(resolved.data.filings.length).toBeGreaterThan(0);
    expect(resolved.data.filings.every((f) => f.form === '20-F')).toBe(true);
    expect(byType(events, 'FilingFailed').every((f) => /404/.test(f.data.error.message))).toBe(true);
    const done = byType(events, 'IngestCompleted')[0]!;
    expect(done.data).toEqual({
      outcome: 'completed_with_errors',
      completed: 0,
      partial: 0,
      failed: resolved.data.filings.length,
    });
  });
});
