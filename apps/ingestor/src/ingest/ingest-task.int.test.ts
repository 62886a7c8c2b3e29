import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestEvent } from '@symbology/contracts';
import { startHarness, type Harness } from '../testing/harness';
import { byType, completion } from '@symbology/contracts/testing';

const SYMB_CIK = '0009999999';

const types = (events: IngestEvent[]) => events.map((e) => e.type);

describe('an ingestion task on the repo fixtures (real NATS, Postgres, EDGAR mirror)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.start();
  });
  afterAll(async () => h?.close());

  const snapshot = async () => ({
    // checked_at moves on every read of EDGAR's filing list (a refresh is due after REFRESH_AFTER); the
    // profile's own columns and updated_at stay as they were.
    companies:
      await h.sql`select cik, name, tickers, exchanges, sic, fiscal_year_end, updated_at from companies order by cik`,
    filings: await h.sql`select accession, fiscal_year, updated_at, xmin::text from filings order by accession`,
    facts: await h.sql`select count(*)::int as n, max(xmin::text::bigint)::text as x from financial_facts`,
    sections:
      await h.sql`select accession, section, char_count, xmin::text from filing_sections order by accession, section`,
  });

  it('ingests SYMB: five annual reports, their facts and sections in Postgres, and events in order', async () => {
    const taskId = await h.request('symb');
    const events = await h.waitForTerminal(taskId);
    expect(types(events)).toEqual([
      'IngestRequested',
      'CompanyResolved',
      ...Array.from({ length: 5 }, () => ['FilingStarted', 'FilingCompleted']).flat(),
      'IngestCompleted',
    ]);
    const resolved = byType(events, 'CompanyResolved')[0]!;
    expect(resolved.data.cik).toBe(SYMB_CIK);
    expect(resolved.data.filings.map((f) => f.fiscalYear)).toEqual([2025, 2024, 2023, 2022, 2021]);
    expect(completion(events)).toEqual({ outcome: 'completed', completed: 5, partial: 0, failed: 0 });

    const completed = byType(events, 'FilingCompleted');
    const facts = await h.sql<{ accession: string; n: number }[]>`
      select accession, count(*)::int as n from financial_facts group by accession`;
    const sections = await h.sql<{ accession: string; n: number }[]>`
      select accession, count(*)::int as n from filing_sections group by accession`;
    for (const c of completed) {
      expect(c.data.factsStored).toBeGreaterThan(0);
      expect(facts.find((f) => f.accession === c.data.accession)?.n).toBe(c.data.factsStored);
      expect(sections.find((s) => s.accession === c.data.accession)?.n).toBe(c.data.sectionsStored);
      expect(c.data.sectionsStored).toBe(3);
      expect(c.data.primaryDocumentUrl).toMatch(/\/Archives\/edgar\/data\/9999999\/\d{18}\/symb-\d{8}\.htm$/);
    }
    const [company] = await h.sql`select name, tickers, fiscal_year_end from companies where cik = ${SYMB_CIK}`;
    expect(company).toMatchObject({ name: expect.any(String), fiscal_year_end: '1231' });
    const [mdna] = await h.sql`select text from filing_sections where section = 'mdna' limit 1`;
    expect(String(mdna?.text)).not.toMatch(/<[a-z]/i);
  });

  it('ingests a 40-F filer (NRTH): its ifrs-full facts, and its text said plainly not to be cut', async () => {
    h.mirror.clearRequests();
    const events = await h.waitForTerminal(await h.request('NRTH'));
    const resolved = byType(events, 'CompanyResolved')[0]!;
    // Five newest 40-Fs; the 40-F/A adds to the FY2024 original and never displaces it.
    expect(resolved.data.filings.map((f) => [f.form, f.fiscalYear])).toEqual(
      [2025, 2024, 2023, 2022, 2021].map((year) => ['40-F', year]),
    );
    expect(completion(events)).toEqual({ outcome: 'completed', completed: 5, partial: 0, failed: 0 });
    for (const c of byType(events, 'FilingCompleted')) {
      expect(c.data).toMatchObject({ outcome: 'completed', sectionsStored: 0, missing: [] });
      expect(c.data.factsStored).toBeGreaterThan(0);
    }
    const taxonomies = await h.sql`
      select distinct taxonomy from financial_facts where cik = '0009999995' order by taxonomy`;
    expect(taxonomies.map((t) => t.taxonomy)).toContain('ifrs-full');
    const text = await h.sql`
      select distinct p.status, p.code, p.message from filing_parts p join filings f using (cik, accession)
      where f.cik = '0009999995' and p.part <> 'facts'`;
    expect(text).toEqual([
      {
        status: 'not_offered',
        code: 'form_not_cut',
        message: expect.stringMatching(/^Text sections are not cut from a 40-F/),
      },
    ]);
    // The documents are not fetched: there is nothing the product would cut from them.
    expect(h.mirror.requests().filter((r) => r.path.includes('/Archives/'))).toEqual([]);
  });

  it('fetches and changes nothing stored when the same company is ingested again', async () => {
    const before = await snapshot();
    h.mirror.clearRequests();
    const events = await h.waitForTerminal(await h.request('SYMB-B'));
    // Every part of the five newest is held: the task reads EDGAR's filing list and nothing else.
    expect(byType(events, 'CompanyResolved')[0]!.data).toMatchObject({ filings: [], alreadyStored: 5 });
    expect(completion(events)).toEqual({ outcome: 'completed', completed: 0, partial: 0, failed: 0 });
    expect(h.mirror.requests().map((r) => r.path)).toEqual(['/data.sec.gov/submissions/CIK0009999999.json']);
    expect(await snapshot()).toEqual(before);
    const [company] = await h.sql`select checked_at from companies where cik = '0009999999'`;
    expect(new Date(String(company?.checked_at)).getTime()).toBeGreaterThan(Date.now() - 30_000);
  });

  it('fails an unknown ticker with IngestFailed unknown_ticker and a message a person understands', async () => {
    const events = await h.waitForTerminal(await h.request('ZZZZQ'));
    expect(types(events)).toEqual(['IngestRequested', 'IngestFailed']);
    const failed = byType(events, 'IngestFailed')[0]!;
    expect(failed.data.error.code).toBe('unknown_ticker');
    expect(failed.data.error.message).toMatch(/No company with the ticker "ZZZZQ"/);
  });

  it('chooses nothing across a page of the filing list EDGAR did not serve, and does not call the task completed', async () => {
    h.mirror.clearRequests();
    const events = await h.waitForTerminal(await h.request('PGAP'));
    const resolved = byType(events, 'CompanyResolved')[0]!;
    // Two 40-Fs in `recent`, two on page 001; page 002 answers 404, so page 003's older 40-Fs must
    // not fill the list up: they are not among the five newest.
    expect(resolved.data.filings.map((f) => f.fiscalYear)).toEqual([2025, 2024, 2023, 2022]);
    expect(resolved.data.listGap).toMatch(/CIK0009999994-submissions-002\.json.*HTTP 404.*on or before 2022-12-19/);
    expect(completion(events)).toEqual({ outcome: 'completed_with_errors', completed: 4, partial: 0, failed: 0 });
    const pages = h.mirror.requests().filter((r) => r.path.includes('-submissions-'));
    expect(pages.map((r) => r.path.split('/').at(-1))).toEqual([
      'CIK0009999994-submissions-001.json',
      'CIK0009999994-submissions-002.json',
    ]);
  });

  it('fails a ticker whose company has no filing list on EDGAR, naming the company, not only a URL', async () => {
    h.mirror.inject({ pattern: '/submissions/CIK0009999998.json', status: 404, times: 1 });
    const events = await h.waitForTerminal(await h.request('FLKY'));
    expect(types(events)).toEqual(['IngestRequested', 'IngestFailed']);
    const failed = byType(events, 'IngestFailed')[0]!;
    expect(failed.data.error.code).toBe('company_not_found');
    expect(failed.data.error.message).toMatch(
      /^Flaky Filings Inc \(CIK 0009999998, which SEC's ticker list gives for FLKY\) has no filing list on EDGAR: .*HTTP 404/,
    );
  });

  it('fails each FLKY filing with every part listed and why, none of them a reason that may pass', async () => {
    const events = await h.waitForTerminal(await h.request('FLKY'));
    const failed = byType(events, 'FilingFailed');
    expect(failed).toHaveLength(3);
    for (const f of failed) {
      expect(f.data.retryable).toBe(false);
      expect(f.data.missing?.map((m) => [m.part, m.retryable])).toEqual([
        ['facts', false],
        ['business', false],
        ['risk_factors', false],
        ['mdna', false],
      ]);
      expect(f.data.missing?.[1]?.message).toMatch(/HTTP 404/);
    }
    expect(byType(events, 'IngestFailed')[0]!.data.error.code).toBe('nothing_stored');
  });

  it('fails a filer with no annual reports with IngestFailed no_annual_reports', async () => {
    const events = await h.waitForTerminal(await h.request('NOAR'));
    const failed = byType(events, 'IngestFailed')[0]!;
    expect(failed.data.error.code).toBe('no_annual_reports');
    expect(failed.data.error.message).toMatch(/no annual report/);
  });

  it('dead-letters a poison message, terminates it and goes on with the next request', async () => {
    await h.publishRaw('ingest.00000000-0000-7000-8000-00000000dead.requested', '{"type":"IngestRequested", not json');
    await h.publishRaw(
      'ingest.00000000-0000-7000-8000-00000000beef.requested',
      JSON.stringify({ type: 'IngestRequested', schemaVersion: 1 }),
    );
    const events = await h.waitForTerminal(await h.request('SYMB'));
    expect(byType(events, 'IngestCompleted')).toHaveLength(1);
    // Two workers record the two letters at once, so their ids may come in either order: sort by subject.
    const letters = await h.sql`select source, subject, reason, payload from dead_letters order by subject desc`;
    expect(letters).toHaveLength(2);
    expect(letters[0]).toMatchObject({
      source: 'ingestor',
      subject: 'ingest.00000000-0000-7000-8000-00000000dead.requested',
    });
    expect(String(letters[0]?.reason)).toMatch(/invalid-json/);
    expect(String(letters[1]?.reason)).toMatch(/invalid-event/);
    expect(String(letters[0]?.payload)).toContain('not json');
  });
});
