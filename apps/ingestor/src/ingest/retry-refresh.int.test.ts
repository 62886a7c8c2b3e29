import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { createStepEvent, newTaskId } from '@symbology/contracts';
import { createDb, filingsToRetry, readFilingHoldings, type Database } from '@symbology/db';
import { publishEvent } from '@symbology/service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../testing/harness';
import { mirrorRoot, serveSymbAs, type MirrorRoot } from '../testing/mirror-root';
import { byType, completion } from '@symbology/contracts/testing';

const SYMB_DOCS = '/www.sec.gov/Archives/edgar/data/9999999/';

describe('retry: only what is missing is fetched again', () => {
  let h: Harness;
  let web: JetStreamClient;
  let db: Database;
  beforeAll(async () => {
    h = await startHarness();
    web = jetstream(await h.nats.connect('web'));
    db = createDb(h.database.url, { max: 1 });
    await h.start();
  });
  afterAll(async () => {
    await db?.$client.end();
    await h?.close();
  });

  it('after a 503 on two documents, a retry fetches those two documents alone and fills every gap', async () => {
    // EDGAR answers 503 for the FY2023 and FY2024 documents, every attempt: their text is missing, retryable.
    h.mirror.inject({ pattern: 'symb-202[34]1231\\.htm$', regex: true, status: 503 });
    const first = await h.waitForTerminal(await h.request('SYMB'));
    expect(byType(first, 'IngestCompleted')[0]!.data.outcome).toBe('completed_with_errors');
    const gaps = await readFilingHoldings(db, { cik: '0009999999' });
    const toRetry = filingsToRetry(gaps);
    expect(toRetry.sort()).toEqual(['0009999999-24-000002', '0009999999-25-000002']);

    h.mirror.clearFaults();
    h.mirror.clearRequests();
    const retry = await h.waitForTerminal(await h.request('SYMB', { mode: 'retry', retryOf: first[0]!.taskId }));
    // Only the two documents: no ticker map, no submissions, no companyfacts (the facts are stored).
    expect(
      h.mirror
        .requests()
        .map((r) => r.path)
        .sort(),
    ).toEqual([`${SYMB_DOCS}000999999924000002/symb-20231231.htm`, `${SYMB_DOCS}000999999925000002/symb-20241231.htm`]);
    expect(byType(retry, 'CompanyResolved')[0]!.data).toMatchObject({
      filings: [{ fiscalYear: 2024 }, { fiscalYear: 2023 }],
      alreadyStored: 3,
    });
    expect(completion(retry)).toEqual({ outcome: 'completed', completed: 2, partial: 0, failed: 0 });
    expect(filingsToRetry(await readFilingHoldings(db, { cik: '0009999999' }))).toEqual([]);
    const [sections] = await h.sql`select count(*)::int as n from filing_sections where accession in
      ('0009999999-24-000002', '0009999999-25-000002')`;
    expect(sections?.n).toBe(6);
  });

  it('a retry of a cancelled task ingests the filings it never attempted, reading EDGAR’s list for them', async () => {
    // A task that listed the FY2020 10-K and was cancelled before it: its events as the ingestor wrote them.
    const cancelledTask = newTaskId();
    const ctx = { taskId: cancelledTask, correlationId: cancelledTask, causationId: null, now: () => new Date() };
    const ingestor = jetstream(await h.nats.connect('ingestor'));
    const older = {
      accession: '0009999999-21-000002',
      form: '10-K' as const,
      fiscalYear: 2020,
      reportDate: '2020-12-31',
      filingDate: '2021-02-26',
    };
    await h.sql`delete from filings where accession = ${older.accession}`;
    await publishEvent(
      web,
      createStepEvent(ctx, {
        type: 'IngestRequested',
        data: {
          ticker: 'SYMB',
          requestedBy: 't',
          requestedAt: new Date().toISOString(),
          mode: 'initial',
          retryOf: null,
        },
      }),
    );
    await publishEvent(
      ingestor,
      createStepEvent(ctx, {
        type: 'CompanyResolved',
        data: {
          cik: '0009999999',
          name: 'Symbology Test Corp',
          tickers: ['SYMB'],
          exchanges: [],
          sic: null,
          sicDescription: null,
          fiscalYearEnd: '1231',
          filings: [older],
          alreadyStored: 4,
          heldInPart: 0,
          heldNothing: 0,
        },
      }),
    );
    await publishEvent(
      ingestor,
      createStepEvent(ctx, {
        type: 'IngestCancelled',
        data: { completed: 0, partial: 0, failed: 0, notAttempted: 1, reason: 'stopped on request' },
      }),
    );

    h.mirror.clearRequests();
    const retry = await h.waitForTerminal(await h.request('SYMB', { mode: 'retry', retryOf: cancelledTask }));
    expect(byType(retry, 'CompanyResolved')[0]!.data.filings.map((f) => f.accession)).toEqual([older.accession]);
    const paths = h.mirror.requests().map((r) => r.path);
    expect(paths).toContain('/data.sec.gov/submissions/CIK0009999999.json');
    expect([...new Set(paths.filter((p) => p.startsWith(SYMB_DOCS)))]).toEqual([
      `${SYMB_DOCS}000999999921000002/symb-20201231.htm`,
    ]);
    const [row] = await h.sql`select count(*)::int as n from filings where accession = ${older.accession}`;
    expect(row?.n).toBe(1);
  });
});

describe('refresh of a company that holds nothing: no success', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.start();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('ends nothing_stored, not "up to date", when no filing holds a part and none can be fetched', async () => {
    // FLKY: every document and the companyfacts are 404s, reasons no later fetch can change.
    const first = await h.waitForTerminal(await h.request('FLKY'));
    expect(first.at(-1)).toMatchObject({ type: 'IngestFailed', data: { error: { code: 'nothing_stored' } } });
    h.mirror.clearRequests();
    const refresh = await h.waitForTerminal(await h.request('FLKY', { mode: 'refresh' }));
    const resolved = byType(refresh, 'CompanyResolved')[0]!.data;
    expect(resolved).toMatchObject({ filings: [], alreadyStored: 0, heldInPart: 0, heldNothing: 3 });
    const last = refresh.at(-1)!;
    expect(last).toMatchObject({ type: 'IngestFailed', data: { error: { code: 'nothing_stored' } } });
    expect(last.type === 'IngestFailed' && last.data.error.message).toMatch(
      /^Nothing is stored for .*: EDGAR gives nothing Symbology can store for any of its 3 newest annual reports/,
    );
    // Only the list was read again: nothing it holds could be fetched anew.
    expect(h.mirror.requests().map((r) => r.path)).toEqual(['/data.sec.gov/submissions/CIK0009999998.json']);
  });
});

const REFRESH_FIXTURES = fileURLToPath(new URL('../../fixtures/refresh', import.meta.url));
const DAY = 86_400_000;

/** A mirror root for RFSH (CIK 0009999996): SYMB's documents and facts under RFSH's CIK, its own submissions. */
function refreshRoot(): MirrorRoot {
  const root = mirrorRoot('refresh');
  root.put(
    'www.sec.gov/files/company_tickers.json',
    JSON.stringify({ 0: { cik_str: 9999996, ticker: 'RFSH', title: 'Refresh Test Corp' } }),
  );
  serveSymbAs(root, { cik: 9999996, name: 'Refresh Test Corp' });
  useSubmissions(root, 'before');
  return root;
}

function useSubmissions(root: MirrorRoot, which: 'before' | 'after'): void {
  root.put(
    'data.sec.gov/submissions/CIK0009999996.json',
    readFileSync(join(REFRESH_FIXTURES, `CIK0009999996.${which}.json`), 'utf8'),
  );
}

describe('refresh: a new annual report listed by EDGAR is ingested, nothing else', () => {
  let h: Harness;
  let db: Database;
  let root: MirrorRoot;
  let clockOffsetMs = -3 * DAY;
  beforeAll(async () => {
    root = refreshRoot();
    h = await startHarness({ roots: [root.dir] });
    db = createDb(h.database.url, { max: 1 });
    await h.start({ now: () => new Date(Date.now() + clockOffsetMs) });
  });
  afterAll(async () => {
    await db?.$client.end();
    await h?.close();
    root.remove();
  });

  it('ingests the 10-K filed since the last check, records the check, and the five newest are shown', async () => {
    // Ingested three days ago (the ingestor's clock is moved back), when EDGAR listed FY2020-FY2024.
    const first = await h.waitForTerminal(await h.request('RFSH'));
    expect(byType(first, 'CompanyResolved')[0]!.data.filings.map((f) => f.fiscalYear)).toEqual([
      2024, 2023, 2022, 2021, 2020,
    ]);
    const [before] = await h.sql`select checked_at from companies where cik = '0009999996'`;
    expect(Date.now() - new Date(String(before?.checked_at)).getTime()).toBeGreaterThan(2.9 * DAY);

    // Now: EDGAR lists one more 10-K (FY2025), and the API asks for a refresh (checked_at > REFRESH_AFTER ago).
    clockOffsetMs = 0;
    useSubmissions(root, 'after');
    h.mirror.clearRequests();
    const refresh = await h.waitForTerminal(await h.request('RFSH', { mode: 'refresh' }));
    expect(byType(refresh, 'CompanyResolved')[0]!.data).toMatchObject({
      filings: [{ accession: '0009999999-26-000004', fiscalYear: 2025 }],
      alreadyStored: 4,
    });
    expect(completion(refresh)).toEqual({ outcome: 'completed', completed: 1, partial: 0, failed: 0 });
    // The list, the facts (for the new filing) and the new document: no stored filing is fetched again.
    expect(
      h.mirror
        .requests()
        .map((r) => r.path)
        .sort(),
    ).toEqual([
      '/data.sec.gov/api/xbrl/companyfacts/CIK0009999996.json',
      '/data.sec.gov/submissions/CIK0009999996.json',
      '/www.sec.gov/Archives/edgar/data/9999996/000999999926000004/symb-20251231.htm',
    ]);
    const [after] = await h.sql`select checked_at from companies where cik = '0009999996'`;
    expect(Date.now() - new Date(String(after?.checked_at)).getTime()).toBeLessThan(60_000);
    // The company page reads the five newest: FY2025 is in, FY2020 out.
    const shown = await readFilingHoldings(db, { cik: '0009999996' });
    expect(shown.map((f) => f.fiscalYear)).toEqual([2025, 2024, 2023, 2022, 2021]);
    expect(shown[0]!.parts.every((p) => p.status === 'stored')).toBe(true);
  });
});

describe('refresh: a new annual report that cannot be read yet', () => {
  let h: Harness;
  let root: MirrorRoot;
  beforeAll(async () => {
    root = refreshRoot();
    h = await startHarness({ roots: [root.dir] });
    await h.start();
  });
  afterAll(async () => {
    await h?.close();
    root.remove();
  });

  it('ends completed with errors, not failed: the company’s stored reports are as they were', async () => {
    await h.waitForTerminal(await h.request('RFSH'));
    // EDGAR lists FY2025, but serves neither its document nor any XBRL data yet.
    useSubmissions(root, 'after');
    h.mirror.inject({ pattern: '/symb-20251231.htm', status: 404 });
    h.mirror.inject({ pattern: '/companyfacts/', status: 404 });
    const refresh = await h.waitForTerminal(await h.request('RFSH', { mode: 'refresh' }));
    expect(byType(refresh, 'CompanyResolved')[0]!.data).toMatchObject({ alreadyStored: 4 });
    expect(byType(refresh, 'FilingFailed').map((e) => e.data.accession)).toEqual(['0009999999-26-000004']);
    // Before: IngestFailed nothing_stored ("nothing usable"), the page's line red, beside four stored reports.
    expect(refresh.filter((e) => e.type === 'IngestFailed')).toEqual([]);
    expect(completion(refresh)).toEqual({ outcome: 'completed_with_errors', completed: 0, partial: 0, failed: 1 });
  });
});
