import { afterAll, describe, expect, it } from 'vitest';
import { readCompanyFacts } from '../read-company-facts';
import { FIXTURES_DIR, readText } from '../test-data';
import { createFactsPool, DEFAULT_COMPANY_FACTS_LIMITS, type FactsReader } from './facts-pool';

const URL_ = 'https://data.sec.gov/api/xbrl/companyfacts/CIK0009999999.json';
const SYMB = readText(FIXTURES_DIR, 'data.sec.gov/api/xbrl/companyfacts/CIK0009999999.json');
const FY2025 = '0009999999-26-000004';
const FY2023 = '0009999999-24-000002';
const bytesOf = (text: string) => new TextEncoder().encode(text);

/** SYMB's companyfacts padded with `concepts` us-gaap concepts of 1,000 facts each, all for one other filing. */
function padded(concepts: number, end = '2023-12-31'): string {
  const fact = `{"end":"${end}","val":1,"accn":"0009999999-99-000001","fy":2023,"fp":"FY","form":"10-K"}`;
  const units = `{"label":"Padding","units":{"USD":[${Array.from({ length: 1_000 }, () => fact).join(',')}]}}`;
  const padding = Array.from({ length: concepts }, (_, i) => `"Padding${i}":${units}`).join(',');
  return SYMB.replace('"us-gaap":{', `"us-gaap":{${padding},`);
}

describe('the companyfacts pool (real worker threads)', () => {
  const pools: FactsReader[] = [];
  const pool = (limits: Partial<typeof DEFAULT_COMPANY_FACTS_LIMITS> = {}) => {
    const created = createFactsPool({ limits: { ...DEFAULT_COMPANY_FACTS_LIMITS, ...limits }, threads: 1 });
    pools.push(created);
    return created;
  };
  afterAll(async () => Promise.all(pools.map((p) => p.close())));

  it('reads companyfacts in a worker exactly as in the calling thread, answering only the filings asked for, the bytes moved not copied', async () => {
    // One fact with a day that does not exist: left out and counted the same way on both sides.
    const text = SYMB.replace(`"end":"2023-02-10","val":12500000`, `"end":"2023-02-30","val":12500000`);
    const bytes = bytesOf(text);
    const read = await pool().read({ url: URL_, bytes }, [FY2025, FY2023]);
    expect(read).toEqual(readCompanyFacts({ url: URL_, bytes: bytesOf(text) }, [FY2025, FY2023]));
    if (read.kind !== 'read') throw new Error(`expected facts, got ${JSON.stringify(read)}`);
    expect([...read.byAccession.keys()].sort()).toEqual([FY2023, FY2025]);
    expect(read.skipped.count).toBe(1);
    // Transferred to the worker: this thread no longer holds the download.
    expect(bytes.byteLength).toBe(0);
  });

  it('answers a document of the wrong shape as malformed (not retryable) and a cut one as malformed (retryable), as the calling thread would', async () => {
    const reader = pool();
    const wrongShape = await reader.read({ url: URL_, bytes: bytesOf('{"cik":1,"entityName":"X","facts":[]}') }, []);
    expect(wrongShape).toMatchObject({ kind: 'malformed', retryable: false });
    const cut = await reader.read({ url: URL_, bytes: bytesOf(SYMB.slice(0, 1_000)) }, []);
    expect(cut).toMatchObject({ kind: 'malformed', retryable: true });
  });

  it('stops a read past the time budget with facts_timeout, not retryable, and serves the next one', async () => {
    // 300 concepts of facts whose every date does not exist: each validated fact by fact, for seconds.
    const reader = pool({ timeoutMs: 200 });
    const read = await reader.read({ url: URL_, bytes: bytesOf(padded(300, '2023-02-30')) }, [FY2025]);
    expect(read).toMatchObject({
      kind: 'not_read',
      code: 'facts_timeout',
      retryable: false,
      message: expect.stringMatching(/longer than 0\.2 s \(COMPANYFACTS_TIMEOUT_MS\)/),
    });
    const next = await reader.read({ url: URL_, bytes: bytesOf(SYMB) }, [FY2025]);
    expect(next.kind).toBe('read');
  });

  it('stops a read past the memory budget with facts_out_of_memory, not retryable, and serves the next one', async () => {
    // About 30 MB of JSON, some hundreds of MB once parsed and validated, against a 64 MB heap.
    const reader = pool({ maxMemoryMb: 64 });
    const read = await reader.read({ url: URL_, bytes: bytesOf(padded(300)) }, [FY2025]);
    expect(read).toMatchObject({
      kind: 'not_read',
      code: 'facts_out_of_memory',
      retryable: false,
      message: expect.stringMatching(/more than 64 MB \(COMPANYFACTS_MAX_MEMORY_MB\)/),
    });
    const next = await reader.read({ url: URL_, bytes: bytesOf(SYMB) }, [FY2025]);
    expect(next.kind).toBe('read');
  });
});
