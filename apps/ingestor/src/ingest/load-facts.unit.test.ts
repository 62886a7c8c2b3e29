import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createEdgarClient } from '../edgar/edgar-client';
import type { FactsReader } from '../edgar/workers/facts-pool';
import { readCompanyFacts } from '../edgar/read-company-facts';
import { loadFacts } from './load-facts';

const CIK = '0000000001';
const A = '0000000001-25-000001';
const B = '0000000001-24-000001';

/** What the facts pool's worker runs, run here: this file is about what loadFacts makes of it. */
const inThisThread: FactsReader = {
  read: async (download, accessions) => readCompanyFacts(download, accessions),
  close: async () => {},
};

/** The real EDGAR client and parser, fed one companyfacts body; and a logger the test can read. */
function setup(body: string, maxJsonBytes?: number) {
  const edgar = createEdgarClient({
    ...(maxJsonBytes === undefined ? {} : { maxJsonBytes }),
    wwwUrl: 'https://www.sec.gov',
    dataUrl: 'https://data.sec.gov',
    userAgent: 'Symbology Research ops@symbology.example',
    limiter: { acquire: async () => {} },
    maxAttempts: 1,
    timeoutMs: 5_000,
    fetch: (async () =>
      new Response(body, { headers: { 'content-type': 'application/json' } })) as typeof globalThis.fetch,
  });
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'warn' },
    new Writable({ write: (chunk: Buffer, _enc, next) => (lines.push(JSON.parse(String(chunk))), next()) }),
  );
  return { load: () => loadFacts({ edgar, factsReader: inThisThread, logger }, CIK, [A, B], false), lines };
}

// EDGAR's exact layout, with two filings' facts.
const companyFacts = (revenueFy: unknown) =>
  JSON.stringify({
    cik: 1,
    entityName: 'Example Corp',
    facts: {
      'us-gaap': {
        Revenues: {
          label: 'Revenues',
          description: 'Revenue.',
          units: {
            USD: [
              {
                start: '2024-01-01',
                end: '2024-12-31',
                val: 100,
                accn: A,
                fy: revenueFy,
                fp: 'FY',
                form: '10-K',
                filed: '2025-02-20',
              },
              {
                start: '2023-01-01',
                end: '2023-12-31',
                val: 90,
                accn: B,
                fy: 2023,
                fp: 'FY',
                form: '10-K',
                filed: '2024-02-20',
              },
            ],
          },
        },
        Assets: {
          label: 'Assets',
          description: 'Assets.',
          units: {
            USD: [
              { end: '2024-12-31', val: 500, accn: A, fy: 2024, fp: 'FY', form: '10-K', filed: '2025-02-20' },
              { end: '2023-12-31', val: 450, accn: B, fy: 2023, fp: 'FY', form: '10-K', filed: '2024-02-20' },
            ],
          },
        },
      },
      ecd: { PeoTotalCompAmt: { label: 'PEO Total Compensation Amount', units: { USD: [{ val: 'n/a' }] } } },
    },
  });

describe('loadFacts, given companyfacts with one fact of the wrong shape', () => {
  it('when the FY2024 revenue has "fy": 2024.5, then every filing keeps its other facts and the one left out is logged once', async () => {
    const { load, lines } = setup(companyFacts(2024.5));
    const source = await load();
    if (source.kind !== 'loaded') throw new Error(`expected facts, got ${JSON.stringify(source)}`);
    expect(source.byAccession.get(A)?.map((f) => f.concept)).toEqual(['Assets']);
    expect(
      source.byAccession
        .get(B)
        ?.map((f) => f.concept)
        .sort(),
    ).toEqual(['Assets', 'Revenues']);
    const warnings = lines.filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      cik: CIK,
      skipped: 1,
      samples: [expect.stringMatching(/^us-gaap\.Revenues\.units\.USD\.0\.fy: /)],
    });
  });
});

describe('loadFacts, given companyfacts that cannot be read as a whole', () => {
  it('when the document is valid JSON of the wrong shape, then facts_unexpected_format, not retryable; when it is cut short, facts_unreadable, retryable', async () => {
    const wrongShape = await setup(JSON.stringify({ cik: 1, entityName: 'Example Corp', facts: [] })).load();
    expect(wrongShape).toEqual({
      kind: 'unavailable',
      reason: { code: 'facts_unexpected_format', message: expect.stringMatching(/will not help/), retryable: false },
    });
    if (wrongShape.kind === 'unavailable') expect(wrongShape.reason.message).not.toMatch(/cut short|retry may/i);

    const body = companyFacts(2024);
    const truncated = await setup(body.slice(0, body.length / 2)).load();
    expect(truncated).toEqual({
      kind: 'unavailable',
      reason: {
        code: 'facts_unreadable',
        message:
          'EDGAR’s XBRL financial data (companyfacts) for this company could not be read: the response was cut short or is not valid JSON. A retry may get it.',
        retryable: true,
      },
    });
  });

  it('when companyfacts is larger than EDGAR_MAX_JSON_BYTES, then facts_too_large, not retryable (the same bytes would come back)', async () => {
    const { load } = setup(`{"cik":1,"entityName":"X","facts":{},"pad":"${' '.repeat(4_096)}"}`, 1_024);
    const source = await load();
    expect(source).toMatchObject({ kind: 'unavailable', reason: { code: 'facts_too_large', retryable: false } });
  });
});
