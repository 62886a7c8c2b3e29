import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { byType } from '@symbology/contracts/testing';
import { FIXTURES_DIR } from '../edgar/test-data';
import { startHarness, type Harness } from '../testing/harness';
import { mirrorRoot, putFixtureEdited } from '../testing/mirror-root';

const SUBMISSIONS = 'data.sec.gov/submissions/CIK0009999999.json';

describe('an ingestion task given a hostile filing list (submissions)', () => {
  let h: Harness;
  const root = mirrorRoot('hostile-submissions');

  /** Serves the SYMB fixture with each [from, to] replaced (putFixtureEdited). */
  const serveSubmissions = (...edits: Array<[string, string]>) => putFixtureEdited(root, SUBMISSIONS, ...edits);

  beforeAll(async () => {
    h = await startHarness({ roots: [root.dir, FIXTURES_DIR] });
    await h.start();
  });
  afterEach(async () => h.forgetFilings());
  afterAll(async () => {
    await h?.close();
    root.remove();
  });

  it('works on every annual report when a column it does not read, or a row that is no annual report, has a value of another type', async () => {
    serveSubmissions(
      // Columns the ingestor never reads: a size as text, a flag as a boolean.
      ['"size":[48211,', '"size":["48 KB",'],
      ['"isXBRL":[1,', '"isXBRL":[true,'],
      // The Form 4's form missing, its report date an array nested 10,000 deep (JSON.parse takes
      // it; JSON.stringify would overflow its stack): that row is no annual report, whatever else.
      ['"form":["10-K","4",', '"form":["10-K",null,'],
      ['"reportDate":["2025-12-31","",', `"reportDate":["2025-12-31",${'['.repeat(10_000)}${']'.repeat(10_000)},`],
    );
    const events = await h.waitForTerminal(await h.request('SYMB'));
    expect(events.filter((e) => e.type === 'IngestFailed')).toEqual([]);
    expect(byType(events, 'FilingCompleted')).toHaveLength(5);
    expect(events.at(-1)).toMatchObject({ type: 'IngestCompleted', data: { completed: 5, partial: 0, failed: 0 } });
  });

  it('stores the company and its filings in one delivery when its profile holds a NUL or a lone surrogate', async () => {
    // Valid JSON escapes Postgres refuses as given (SQLSTATE 22021): the company row could never be
    // written, and the task would fail on every delivery before its first filing.
    serveSubmissions(
      ['"name":"Symbology Test Corp"', '"name":"Symbology\\u0000 Test Corp\\ud800"'],
      ['"tickers":["SYMB","SYMB-B"]', '"tickers":["SYMB","SYMB-B\\u0000"]'],
      ['"sicDescription":"Services-Prepackaged Software"', '"sicDescription":"Services-Prepackaged\\u0000 Software"'],
    );
    const taskId = await h.request('SYMB');
    const events = await h.waitForTerminal(taskId);
    expect(events.filter((e) => e.type === 'IngestFailed' || e.type === 'IngestDelayed')).toEqual([]);
    expect(byType(events, 'CompanyResolved')[0]?.data).toMatchObject({
      name: 'Symbology Test Corp',
      tickers: ['SYMB', 'SYMB-B'],
      sicDescription: 'Services-Prepackaged Software',
    });
    expect(events.at(-1)).toMatchObject({ type: 'IngestCompleted', data: { completed: 5 } });
    const [company] = await h.sql<{ name: string; tickers: string[] }[]>`
      select name, tickers from companies where cik = '0009999999'`;
    expect(company).toEqual({ name: 'Symbology Test Corp', tickers: ['SYMB', 'SYMB-B'] });
    expect((await h.stored(taskId)).filter((s) => s.event.type === 'IngestRequested')).toHaveLength(1);
  });

  it('fails the task, storing nothing under either company, when the filing list EDGAR serves for a CIK names another CIK', async () => {
    // SYMB's CIK is 9999999; a list that says it is 9999998's would file SYMB's ticker, profile and
    // reports under another company, and read that company's companyfacts and documents for them.
    serveSubmissions(['"cik":"0009999999"', '"cik":"0009999998"']);
    const events = await h.waitForTerminal(await h.request('SYMB'));
    expect(events.at(-1)).toMatchObject({ type: 'IngestFailed', data: { error: { code: 'edgar_malformed' } } });
    expect(events.map((e) => e.type)).not.toContain('CompanyResolved');
    expect(await h.sql`select cik from companies where cik = '0009999998'`).toEqual([]);
    expect(await h.sql`select accession from filings`).toEqual([]);
  });

  it('completes in one delivery when the profile lists more tickers, or a longer name, than an event can carry', async () => {
    // 120,000 tickers (1.2 MB) or a name of 1.5 MB in CompanyResolved: past NATS' max_payload (1 MB),
    // which would refuse the event on every delivery.
    const many = Array.from({ length: 120_000 }, (_, i) => `"T${String(i).padStart(6, '0')}"`).join(',');
    serveSubmissions(
      ['"tickers":["SYMB","SYMB-B"]', `"tickers":["SYMB","SYMB-B",${many}]`],
      ['"sicDescription":"Services-Prepackaged Software"', `"sicDescription":"${'Software '.repeat(170_000)}"`],
    );
    const taskId = await h.request('SYMB');
    const events = await h.waitForTerminal(taskId);
    expect(events.filter((e) => e.type === 'IngestFailed' || e.type === 'IngestDelayed')).toEqual([]);
    const resolved = byType(events, 'CompanyResolved')[0]!;
    expect(resolved.data.tickers.slice(0, 2)).toEqual(['SYMB', 'SYMB-B']);
    expect(resolved.data.sicDescription?.length).toBeLessThanOrEqual(1_000);
    expect(events.at(-1)).toMatchObject({ type: 'IngestCompleted', data: { completed: 5 } });
  });

  it('leaves out only an annual report whose row has a date of another type, and works on the others', async () => {
    // The FY2023 10-K's reportDate as a number: that row cannot be dated, the others can.
    serveSubmissions(['"2024-09-30","2023-12-31",', '"2024-09-30",20231231,']);
    const events = await h.waitForTerminal(await h.request('SYMB'));
    expect(events.filter((e) => e.type === 'IngestFailed')).toEqual([]);
    const resolved = byType(events, 'CompanyResolved')[0]!;
    expect(resolved.data.filings.map((f) => f.accession)).not.toContain('0009999999-24-000002');
    expect(resolved.data.filings).toHaveLength(5);
    expect(events.at(-1)).toMatchObject({ type: 'IngestCompleted' });
  });
});
