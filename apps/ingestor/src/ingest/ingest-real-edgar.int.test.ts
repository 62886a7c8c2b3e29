import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR, hasShared, SHARED_DIR } from '../edgar/test-data';
import { startHarness, type Harness } from '../testing/harness';
import { byType, completion } from '@symbology/contracts/testing';

// The recorded SEC responses live beside the checkout; without them there is nothing to replay.
// What ../shared/edgar holds (MANIFEST.md): AAPL companyfacts + its FY2024 10-K only; TSLA its
// FY2024 10-K, no companyfacts; TSM companyfacts (ifrs-full), no 20-F document; MSFT submissions only.
describe.skipIf(!hasShared)('ingestion of real recorded EDGAR data (AAPL, TSLA, TSM, MSFT)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ roots: [FIXTURES_DIR, SHARED_DIR] });
    await h.start();
  });
  afterAll(async () => h?.close());

  const factsPerYear = (cik: string) => h.sql<{ fiscal_year: number; n: number; taxonomies: string[] }[]>`
    select f.fiscal_year, count(x.*)::int as n, array_agg(distinct x.taxonomy order by x.taxonomy) as taxonomies
    from filings f join financial_facts x using (cik, accession) where f.cik = ${cik}
    group by f.fiscal_year order by f.fiscal_year desc`;
  const parts = (cik: string) => h.sql<{ fiscal_year: number; part: string; status: string; code: string | null }[]>`
    select f.fiscal_year, p.part, p.status, p.code from filings f join filing_parts p using (cik, accession)
    where f.cik = ${cik} order by f.fiscal_year desc, p.part`;

  it('AAPL: facts for all five fiscal years; the FY2024 filing is complete, the four whose document 404s are partial', async () => {
    const events = await h.waitForTerminal(await h.request('AAPL'), 60_000);
    const resolved = byType(events, 'CompanyResolved')[0]!;
    expect(resolved.data.cik).toBe('0000320193');
    expect(resolved.data.filings.map((f) => f.form)).toEqual(['10-K', '10-K', '10-K', '10-K', '10-K']);
    expect(byType(events, 'FilingFailed')).toEqual([]);
    const completed = byType(events, 'FilingCompleted');
    expect(completed.filter((c) => c.data.outcome === 'completed').map((c) => c.data.accession)).toEqual([
      '0000320193-24-000123',
    ]);
    const partial = completed.filter((c) => c.data.outcome === 'partial');
    expect(partial).toHaveLength(4);
    for (const p of partial) {
      expect(p.data.factsStored).toBeGreaterThan(100);
      expect(p.data.sectionsStored).toBe(0);
      expect(p.data.missing.map((m) => [m.part, m.code, m.retryable])).toEqual([
        ['business', 'not_found', false],
        ['risk_factors', 'not_found', false],
        ['mdna', 'not_found', false],
      ]);
      expect(p.data.missing[0]!.message).toMatch(/HTTP 404/);
      expect(p.data.primaryDocumentUrl).toMatch(/^https:\/\/www\.sec\.gov\/Archives\/edgar\/data\/320193\//);
    }
    expect(completion(events)).toEqual({ outcome: 'completed_with_errors', completed: 1, partial: 4, failed: 0 });
    const years = await factsPerYear('0000320193');
    expect(years).toHaveLength(5);
    for (const y of years) {
      expect(y.n).toBeGreaterThan(100);
      expect(y.taxonomies).toContain('us-gaap');
    }
    const rows = await parts('0000320193');
    expect(rows.filter((r) => r.status === 'stored')).toHaveLength(5 + 3);
    expect(rows.filter((r) => r.status === 'missing')).toHaveLength(4 * 3);
    const [risk] =
      await h.sql`select char_count from filing_sections where accession = '0000320193-24-000123' and section = 'risk_factors'`;
    expect(Number(risk?.char_count)).toBeGreaterThan(10_000);
  });

  it('TSM: IFRS facts (ifrs-full) for all five 20-F years although no document is reachable: five partial filings', async () => {
    const events = await h.waitForTerminal(await h.request('TSM'), 60_000);
    const resolved = byType(events, 'CompanyResolved')[0]!;
    expect(resolved.data.filings.map((f) => f.form)).toEqual(['20-F', '20-F', '20-F', '20-F', '20-F']);
    const completed = byType(events, 'FilingCompleted');
    expect(completed.map((c) => c.data.outcome)).toEqual(['partial', 'partial', 'partial', 'partial', 'partial']);
    for (const c of completed) {
      expect(c.data.factsStored).toBeGreaterThan(50);
      expect(c.data.missing.map((m) => m.part)).toEqual(['business', 'risk_factors', 'mdna']);
    }
    expect(completion(events)).toEqual({ outcome: 'completed_with_errors', completed: 0, partial: 5, failed: 0 });
    const years = await factsPerYear('0001046179');
    expect(years.map((y) => y.fiscal_year)).toEqual(resolved.data.filings.map((f) => f.fiscalYear));
    for (const y of years) expect(y.taxonomies).toContain('ifrs-full');
  });

  it('TSLA: no companyfacts recorded: the FY2024 10-K keeps its three sections (partial, facts missing), the rest fail', async () => {
    const events = await h.waitForTerminal(await h.request('TSLA'), 60_000);
    expect(byType(events, 'CompanyResolved')[0]!.data.filings).toHaveLength(5);
    const [fy2024] = byType(events, 'FilingCompleted');
    expect(fy2024!.data).toMatchObject({
      accession: '0001628280-25-003063',
      outcome: 'partial',
      factsStored: 0,
      sectionsStored: 3,
    });
    expect(fy2024!.data.missing).toEqual([
      {
        part: 'facts',
        code: 'no_xbrl_facts',
        message: expect.stringMatching(/no XBRL financial data/),
        retryable: false,
      },
    ]);
    const failed = byType(events, 'FilingFailed');
    expect(failed).toHaveLength(4);
    for (const f of failed) expect(f.data.error.message).toMatch(/HTTP 404/);
    expect(completion(events)).toEqual({ outcome: 'completed_with_errors', completed: 0, partial: 1, failed: 4 });
  });

  it('MSFT: neither companyfacts nor any document reachable: the task ends IngestFailed nothing_stored, never completed', async () => {
    const events = await h.waitForTerminal(await h.request('MSFT'), 60_000);
    expect(byType(events, 'FilingFailed')).toHaveLength(5);
    expect(byType(events, 'IngestCompleted')).toEqual([]);
    const [failed] = byType(events, 'IngestFailed');
    expect(failed!.data.error.code).toBe('nothing_stored');
    expect(failed!.data.error.message).toMatch(/^Nothing could be stored for MICROSOFT CORP/);
    expect(events.at(-1)!.type).toBe('IngestFailed');
  });
});
