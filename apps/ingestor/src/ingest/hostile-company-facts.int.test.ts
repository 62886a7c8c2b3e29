import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../edgar/test-data';
import { startHarness, type Harness } from '../testing/harness';

const FACTS = 'data.sec.gov/api/xbrl/companyfacts/CIK0009999999.json';
const DAMAGED = '0009999999-23-000002';

describe('an ingestion task given companyfacts the database refuses', () => {
  let h: Harness;
  let root: string;

  beforeAll(async () => {
    // One fact of the FY2022 10-K ends on 30 February: valid JSON, a string as EDGAR sends it, and
    // a date Postgres refuses (SQLSTATE 22008), as any data exception would be.
    root = mkdtempSync(join(tmpdir(), 'hostile-facts-'));
    const original = readFileSync(join(FIXTURES_DIR, FACTS), 'utf8');
    const damaged = original.replace(
      `"end":"2023-02-10","val":12500000,"accn":"${DAMAGED}"`,
      `"end":"2023-02-30","val":12500000,"accn":"${DAMAGED}"`,
    );
    expect(damaged).not.toBe(original);
    mkdirSync(dirname(join(root, FACTS)), { recursive: true });
    writeFileSync(join(root, FACTS), damaged);
    h = await startHarness({ roots: [root, FIXTURES_DIR] });
    await h.start();
  });
  afterAll(async () => {
    await h?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('records that filing’s facts as missing (data_not_storable, not retried), stores its text and every other filing', async () => {
    const events = await h.waitForTerminal(await h.request('SYMB'));
    // A data error is the filing's, not the task's: one delivery, no IngestFailed.
    expect(events.filter((e) => e.type === 'IngestFailed')).toEqual([]);
    const completed = events.flatMap((e) => (e.type === 'FilingCompleted' ? [e.data] : []));
    const damaged = completed.find((d) => d.accession === DAMAGED)!;
    expect(damaged).toMatchObject({ outcome: 'partial', factsStored: 0, sectionsStored: 3 });
    expect(damaged.missing).toHaveLength(1);
    const [missing] = damaged.missing;
    expect(missing).toMatchObject({ part: 'facts', code: 'data_not_storable', retryable: false });
    expect(missing!.message).toMatch(/SQLSTATE 22008/);
    // A sentence for a person: no driver message, no SQL, no parameters.
    expect(missing!.message).not.toMatch(/insert|financial_facts|\$\d|2023-02-30|date\/time field/i);
    expect(completed.filter((d) => d.accession !== DAMAGED).every((d) => d.outcome === 'completed')).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'IngestCompleted', data: { completed: 4, partial: 1, failed: 0 } });
    const stored = await h.stored(events[0]!.taskId);
    expect(stored.filter((s) => s.event.type === 'IngestRequested')).toHaveLength(1);
    const [facts] = await h.sql<
      { n: number }[]
    >`select count(*)::int as n from financial_facts where accession = ${DAMAGED}`;
    expect(facts?.n).toBe(0);
  });
});
