import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { byType } from '@symbology/contracts/testing';
import { FIXTURES_DIR } from '../edgar/test-data';
import { startHarness, type Harness } from '../testing/harness';
import { mirrorRoot, putFixtureEdited } from '../testing/mirror-root';

const FACTS = 'data.sec.gov/api/xbrl/companyfacts/CIK0009999999.json';
const DAMAGED = '0009999999-23-000002';

describe('an ingestion task given hostile companyfacts', () => {
  let h: Harness;
  const root = mirrorRoot('hostile-facts');

  /** Serves the SYMB fixture with each [from, to] replaced (putFixtureEdited). */
  const serveFacts = (...edits: Array<[string, string]>) => putFixtureEdited(root, FACTS, ...edits);

  beforeAll(async () => {
    h = await startHarness({ roots: [root.dir, FIXTURES_DIR] });
    await h.start();
  });
  afterEach(async () => h.forgetFilings());
  afterAll(async () => {
    await h?.close();
    root.remove();
  });

  it('leaves out only a fact whose date does not exist (30 February): that filing keeps its other facts', async () => {
    // Valid JSON, a string as EDGAR sends it, and a day Postgres would refuse (SQLSTATE 22008): were it
    // to reach storage, the filing's one facts transaction would fail and every fact of it be lost.
    serveFacts([
      `"end":"2023-02-10","val":12500000,"accn":"${DAMAGED}"`,
      `"end":"2023-02-30","val":12500000,"accn":"${DAMAGED}"`,
    ]);
    const events = await h.waitForTerminal(await h.request('SYMB'));
    expect(events.filter((e) => e.type === 'IngestFailed')).toEqual([]);
    const done = byType(events, 'FilingCompleted').map((e) => e.data);
    expect(done.map((d) => [d.accession, d.outcome, d.missing])).toEqual(
      done.map((d) => [d.accession, 'completed', []]),
    );
    // 14 facts in that filing, the one with 30 February left out.
    expect(done.find((d) => d.accession === DAMAGED)).toMatchObject({ factsStored: 13, sectionsStored: 3 });
    expect(events.at(-1)).toMatchObject({ type: 'IngestCompleted', data: { completed: 5, partial: 0, failed: 0 } });
    const periods = await h.sql<{ period: string }[]>`
      select period from financial_facts where accession = ${DAMAGED} and concept = 'EntityCommonStockSharesOutstanding'`;
    expect(periods).toEqual([]);
    const [facts] = await h.sql<
      { n: number }[]
    >`select count(*)::int as n from financial_facts where accession = ${DAMAGED}`;
    expect(facts?.n).toBe(13);
  });

  it('leaves out only a fact whose fiscal year is past a Postgres integer: that filing keeps its other facts', async () => {
    // A whole number, so of the right shape; stored, SQLSTATE 22003 would cost the filing every fact.
    serveFacts([
      `"end":"2023-02-10","val":12500000,"accn":"${DAMAGED}","fy":2022,`,
      `"end":"2023-02-10","val":12500000,"accn":"${DAMAGED}","fy":2147483648,`,
    ]);
    const events = await h.waitForTerminal(await h.request('SYMB'));
    const done = byType(events, 'FilingCompleted').map((e) => e.data);
    expect(done.map((d) => [d.accession, d.outcome, d.missing])).toEqual(
      done.map((d) => [d.accession, 'completed', []]),
    );
    expect(done.find((d) => d.accession === DAMAGED)?.factsStored).toBe(13);
  });

  it('records that filing’s facts as missing (data_not_storable, not retried) when Postgres refuses a value, stores its text and every other filing', async () => {
    // A concept name of 8,000 varied characters, of the right shape: past the largest key Postgres
    // indexes (SQLSTATE 54000), the kind of data exception that can still reach storage.
    let seed = 1;
    const long = Array.from({ length: 8_000 }, () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31; // varied, so that Postgres cannot compress it under its limit
      return String.fromCharCode(97 + ((seed >> 16) % 26));
    }).join('');
    serveFacts([
      `"us-gaap":{`,
      `"us-gaap":{"${long}":{"label":"Long","units":{"USD":[{"end":"2022-12-31","val":1,"accn":"${DAMAGED}","fy":2022,"fp":"FY","form":"10-K"}]}},`,
    ]);
    const events = await h.waitForTerminal(await h.request('SYMB'));
    // A data error is the filing's, not the task's: one delivery, no IngestFailed.
    expect(events.filter((e) => e.type === 'IngestFailed')).toEqual([]);
    const completed = events.flatMap((e) => (e.type === 'FilingCompleted' ? [e.data] : []));
    const damaged = completed.find((d) => d.accession === DAMAGED)!;
    expect(damaged).toMatchObject({ outcome: 'partial', factsStored: 0, sectionsStored: 3 });
    expect(damaged.missing).toHaveLength(1);
    const [missing] = damaged.missing;
    expect(missing).toMatchObject({ part: 'facts', code: 'data_not_storable', retryable: false });
    expect(missing!.message).toMatch(/SQLSTATE 54000/);
    // A sentence for a person: no driver message, no SQL, no parameters.
    expect(missing!.message).not.toMatch(/insert|financial_facts|\$\d|index row|maximum/i);
    expect(completed.filter((d) => d.accession !== DAMAGED).every((d) => d.outcome === 'completed')).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'IngestCompleted', data: { completed: 4, partial: 1, failed: 0 } });
    const stored = await h.stored(events[0]!.taskId);
    expect(stored.filter((s) => s.event.type === 'IngestRequested')).toHaveLength(1);
    const [facts] = await h.sql<
      { n: number }[]
    >`select count(*)::int as n from financial_facts where accession = ${DAMAGED}`;
    expect(facts?.n).toBe(0);
  });
  it('keeps every filing’s facts when a companyfacts label holds a NUL (Postgres refuses the byte)', async () => {
    // A valid JSON escape: stored as given, SQLSTATE 22021 would cost each filing the label is on
    // (every one: a dei concept) all of its facts.
    serveFacts([
      '"label":"Entity Common Stock, Shares Outstanding"',
      '"label":"Entity Common Stock\\u0000, Shares Outstanding"',
    ]);
    const events = await h.waitForTerminal(await h.request('SYMB'));
    const done = byType(events, 'FilingCompleted').map((e) => e.data);
    expect(done.map((d) => [d.accession, d.outcome, d.missing])).toEqual(
      done.map((d) => [d.accession, 'completed', []]),
    );
    expect(done).toHaveLength(5);
    const labels = await h.sql<{ label: string }[]>`
      select distinct label from financial_facts where concept = 'EntityCommonStockSharesOutstanding'`;
    expect(labels).toEqual([{ label: 'Entity Common Stock, Shares Outstanding' }]);
  });

  it('stores a filing’s facts in one delivery when two concept names differ only in a lone surrogate', async () => {
    // Valid JSON escapes the driver writes as the same U+FFFD: one statement touching one key twice
    // (SQLSTATE 21000) is no data exception, so it would fail the task on every delivery, text and all.
    const odd = (name: string) =>
      `"${name}":{"label":"Odd","units":{"USD":[{"end":"2022-12-31","val":7,"accn":"${DAMAGED}","fy":2022,"fp":"FY","form":"10-K"}]}},`;
    serveFacts(['"us-gaap":{', `"us-gaap":{${odd('Odd\\ud800')}${odd('Odd\\udbff')}`]);
    const taskId = await h.request('SYMB');
    const events = await h.waitForTerminal(taskId);
    expect(events.filter((e) => e.type === 'IngestFailed' || e.type === 'IngestDelayed')).toEqual([]);
    const done = byType(events, 'FilingCompleted').map((e) => e.data);
    expect(done.map((d) => [d.accession, d.outcome, d.missing])).toEqual(
      done.map((d) => [d.accession, 'completed', []]),
    );
    expect(done).toHaveLength(5);
    // 14 facts in that filing, and the odd concept once.
    expect(done.find((d) => d.accession === DAMAGED)?.factsStored).toBe(15);
    const odds = await h.sql<{ concept: string }[]>`
      select concept from financial_facts where accession = ${DAMAGED} and concept like 'Odd%'`;
    expect(odds).toEqual([{ concept: 'Odd' }]);
    expect((await h.stored(taskId)).filter((s) => s.event.type === 'IngestRequested')).toHaveLength(1);
  });

  it('leaves out only a fact of the wrong shape: every filing keeps its other facts, and other taxonomies cannot spoil them', async () => {
    const fy2023 = '0009999999-24-000002';
    serveFacts(
      // The FY2023 10-K's revenue for 2021 with a fractional fiscal year.
      [
        `"start":"2021-01-01","end":"2021-12-31","val":52750000,"accn":"${fy2023}","fy":2023,`,
        `"start":"2021-01-01","end":"2021-12-31","val":52750000,"accn":"${fy2023}","fy":2023.5,`,
      ],
      // Never stored, so never read: a value as a string in srt, a company extension of no known shape.
      ['"srt":{', '"symb":{"CustomMetric":{"label":7,"units":{"USD":"n/a"}}},"srt":{'],
      ['"val":1,"accn":"0009999999-26-000004"', '"val":"1","accn":"0009999999-26-000004"'],
    );
    const events = await h.waitForTerminal(await h.request('SYMB'));
    const done = byType(events, 'FilingCompleted').map((e) => e.data);
    expect(done.map((d) => [d.accession, d.outcome, d.missing])).toEqual(
      done.map((d) => [d.accession, 'completed', []]),
    );
    expect(done).toHaveLength(5);
    // 14 facts in that filing, one left out; the others as they were.
    expect(done.find((d) => d.accession === fy2023)?.factsStored).toBe(13);
    expect(done.every((d) => d.factsStored >= 13)).toBe(true);
    const revenue = await h.sql<{ period: string }[]>`
      select period from financial_facts where accession = ${fy2023} and concept = 'Revenues' order by period`;
    expect(revenue.map((r) => r.period)).toEqual(['2022-01-01/2022-12-31', '2023-01-01/2023-12-31']);
  });

  it('records a companyfacts of the wrong shape as facts_unexpected_format (not retried) on every filing, text still cut', async () => {
    serveFacts(['"facts":{"dei":{', '"facts":[{"dei":{'], ['}}}}}', '}}}}]}']);
    const events = await h.waitForTerminal(await h.request('SYMB'));
    const done = byType(events, 'FilingCompleted').map((e) => e.data);
    expect(done.map((d) => [d.outcome, d.factsStored, d.sectionsStored])).toEqual(
      Array.from({ length: 5 }, () => ['partial', 0, 3]),
    );
    for (const d of done) {
      expect(d.missing).toEqual([
        {
          part: 'facts',
          code: 'facts_unexpected_format',
          message: expect.stringMatching(/will not help/),
          retryable: false,
        },
      ]);
    }
  });
});
