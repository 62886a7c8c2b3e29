import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { byType } from '@symbology/contracts/testing';
import { FIXTURES_DIR } from '../edgar/test-data';
import { startHarness, type Harness } from '../testing/harness';

const FACTS = 'data.sec.gov/api/xbrl/companyfacts/CIK0009999999.json';
const SUBMISSIONS = 'data.sec.gov/submissions/CIK0009999999.json';
/** SYMB's FY2025 10-K, filed on 2026-02-20: its newest annual report. */
const NEWEST = '0009999999-26-000004';

describe('one annual report, given what EDGAR lists of it', () => {
  let h: Harness;
  let root: string;
  /** The task's clock (the ingestor's `now`); the real one unless a test sets it. */
  let clock: (() => Date) | undefined;

  /** Serves the SYMB fixture at `path` edited (the mirror reads it on every request). */
  const serve = (path: string, edit: (text: string) => string) => {
    const original = readFileSync(join(FIXTURES_DIR, path), 'utf8');
    const edited = edit(original);
    expect(edited).not.toBe(original);
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), edited);
  };
  /** companyfacts as SEC serves it between listing a new filing and adding its facts: none with its accession. */
  const factsWithoutNewest = () =>
    serve(FACTS, (text) => text.replaceAll(`"accn":"${NEWEST}"`, '"accn":"0009999999-26-000099"'));

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'ingest-filing-'));
    h = await startHarness({ roots: [root, FIXTURES_DIR] });
    await h.start({ now: () => (clock ? clock() : new Date()) });
  });
  afterEach(async () => {
    clock = undefined;
    rmSync(join(root, 'data.sec.gov'), { recursive: true, force: true });
    await h.forgetFilings();
  });
  afterAll(async () => {
    await h?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const run = async () => h.waitForTerminal(await h.request('SYMB'));
  const newest = (events: Awaited<ReturnType<typeof run>>) =>
    byType(events, 'FilingCompleted').find((e) => e.data.accession === NEWEST)?.data;

  it('a 10-K filed 3 days ago that companyfacts does not list yet: facts missing, retryable; a later task gets them', async () => {
    clock = () => new Date('2026-02-23T12:00:00Z');
    factsWithoutNewest();
    const first = await run();
    expect(newest(first)).toMatchObject({ outcome: 'partial', factsStored: 0, sectionsStored: 3 });
    expect(newest(first)!.missing).toEqual([
      {
        part: 'facts',
        code: 'facts_not_listed_yet',
        message: expect.stringMatching(
          /does not list this 10-K yet: it was filed on 2026-02-20.*A retry later may get them/,
        ),
        retryable: true,
      },
    ]);
    const [part] = await h.sql<{ retryable: boolean }[]>`
      select retryable from filing_parts where accession = ${NEWEST} and part = 'facts'`;
    expect(part?.retryable).toBe(true);

    // SEC has added the filing's facts: the next task fetches that part, and only that part.
    rmSync(join(root, FACTS));
    const second = await run();
    expect(byType(second, 'FilingStarted').map((e) => e.data.accession)).toEqual([NEWEST]);
    expect(newest(second)).toMatchObject({ outcome: 'completed', factsStored: 14, sectionsStored: 3, missing: [] });
  });

  it('a 10-K filed over a week ago that companyfacts does not list: facts missing for good (no_xbrl_facts)', async () => {
    clock = () => new Date('2026-02-28T12:00:00Z');
    factsWithoutNewest();
    const events = await run();
    expect(newest(events)).toMatchObject({ outcome: 'partial', factsStored: 0, sectionsStored: 3 });
    expect(newest(events)!.missing).toEqual([
      { part: 'facts', code: 'no_xbrl_facts', message: expect.stringMatching(/holds no facts/), retryable: false },
    ]);
  });

  it('a filing whose listing the database refuses reports the parts an earlier task stored, not "nothing stored"', async () => {
    clock = () => new Date('2026-02-23T12:00:00Z');
    factsWithoutNewest();
    await run();
    // Now EDGAR lists its facts, but names its document with a NUL Postgres refuses in text (SQLSTATE 22021).
    rmSync(join(root, FACTS));
    serve(SUBMISSIONS, (text) => text.replace('"symb-20251231.htm"', '"symb-20251231\\u0000.htm"'));
    const events = await run();
    expect(byType(events, 'FilingStarted').map((e) => e.data.accession)).toEqual([NEWEST]);
    expect(byType(events, 'FilingFailed')).toEqual([]);
    expect(newest(events)).toMatchObject({ outcome: 'partial', factsStored: 0, sectionsStored: 3 });
    expect(newest(events)!.missing).toEqual([
      {
        part: 'facts',
        code: 'data_not_storable',
        message: expect.stringMatching(/^EDGAR’s listing of this filing could not be stored: .*SQLSTATE 22021/),
        retryable: false,
      },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'IngestCompleted', data: { completed: 0, partial: 1, failed: 0 } });
    const sections = await h.sql<{ n: number }[]>`
      select count(*)::int as n from filing_sections where accession = ${NEWEST}`;
    expect(sections[0]?.n).toBe(3);
  });
});
