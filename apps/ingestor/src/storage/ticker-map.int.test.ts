import { Writable } from 'node:stream';
import { createDb, type Database } from '@symbology/db';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompanyTickersSchema } from '../edgar/company-tickers-schema';
import { FIXTURES_DIR, readJson } from '../edgar/test-data';
import { startHarness, type Harness } from '../testing/harness';
import { storeTickerMap } from './edgar-tickers';
import { createTickerMapSync } from './ticker-map-sync';
import { tickerMapRows } from './ticker-map-rows';

const TICKERS_PATH = '/www.sec.gov/files/company_tickers.json';
const fixtureEntries = () =>
  CompanyTickersSchema.parse(readJson(FIXTURES_DIR, 'www.sec.gov/files/company_tickers.json'));

type StoredRow = { ticker: string; cik: string; title: string; sec_order: number; xmin: string; refreshed_at: Date };
const readTable = (h: Harness) =>
  h.sql<
    StoredRow[]
  >`select ticker, cik, title, sec_order, xmin::text as xmin, refreshed_at from edgar_tickers order by sec_order`;

async function until<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A logger whose lines the test can read, to see which writes the sync actually ran. */
function capturingLogger() {
  const lines: string[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({ write: (chunk: Buffer, _enc, next) => (lines.push(String(chunk)), next()) }),
  );
  return { logger, stored: () => lines.filter((l) => l.includes('EDGAR ticker map stored')).length };
}

describe('the EDGAR ticker map in edgar_tickers (real Postgres, NATS and mirror)', () => {
  let h: Harness;
  let db: Database;
  beforeAll(async () => {
    h = await startHarness();
    db = createDb(h.database.url, { max: 2 });
  });
  afterAll(async () => {
    await db?.$client.end();
    await h?.close();
  });

  it('given an ingestor starting, then it downloads company_tickers.json once and stores every ticker', async () => {
    await h.start();
    const rows = await until(
      () => readTable(h),
      (r) => r.length === 6,
      'the ticker map',
    );
    expect(rows.map(({ ticker, cik, title, sec_order }) => ({ ticker, cik, title, sec_order }))).toEqual([
      { ticker: 'SYMB', cik: '0009999999', title: 'Symbology Test Corp', sec_order: 0 },
      { ticker: 'FLKY', cik: '0009999998', title: 'Flaky Filings Inc', sec_order: 1 },
      { ticker: 'NOAR', cik: '0009999997', title: 'No Annual Reports Holdings', sec_order: 2 },
      { ticker: 'SYMB-B', cik: '0009999999', title: 'Symbology Test Corp', sec_order: 3 },
      { ticker: 'NRTH', cik: '0009999995', title: 'Northern Test Resources Ltd', sec_order: 4 },
      { ticker: 'PGAP', cik: '0009999994', title: 'Paged Gap Resources Ltd', sec_order: 5 },
    ]);
    expect(h.mirror.requests().filter((r) => r.path === TICKERS_PATH)).toHaveLength(1);
  });

  it('given the same map loaded again, by the same process or a restarted one, then no row is written', async () => {
    const before = await readTable(h);
    // A restarted replica has no hash in memory: the upsert's change check alone must write nothing.
    await expect(storeTickerMap(db, tickerMapRows(fixtureEntries()))).resolves.toEqual({ upserted: 0, deleted: 0 });
    // Within one process the hash skips the database altogether: one write for two identical loads.
    const { logger, stored } = capturingLogger();
    const sync = createTickerMapSync({ db, logger });
    sync.push(fixtureEntries());
    await sync.idle();
    sync.push(fixtureEntries());
    await sync.close();
    expect(stored()).toBe(1);
    expect(await readTable(h)).toEqual(before);
  });

  it('given a changed map, then only changed rows are rewritten and dropped tickers deleted', async () => {
    const before = new Map((await readTable(h)).map((r) => [r.ticker, r.xmin]));
    const changed = fixtureEntries()
      .filter((e) => e.ticker !== 'NOAR')
      .map((e) => (e.ticker === 'FLKY' ? { ...e, title: 'Flaky Filings Incorporated' } : e));
    changed.push({ ticker: 'NEWT', cik: '0009999996', title: 'Newly Listed Co' });
    await expect(storeTickerMap(db, tickerMapRows(changed))).resolves.toEqual({ upserted: 5, deleted: 1 });
    const after = await readTable(h);
    expect(after.map((r) => r.ticker)).toEqual(['SYMB', 'FLKY', 'SYMB-B', 'NRTH', 'PGAP', 'NEWT']);
    // SYMB-B, NRTH and PGAP moved up one (NOAR left), so they are rewritten too; SYMB is untouched.
    expect(after.find((r) => r.ticker === 'SYMB')?.xmin).toBe(before.get('SYMB'));
    expect(after.find((r) => r.ticker === 'FLKY')?.title).toBe('Flaky Filings Incorporated');
    await storeTickerMap(db, tickerMapRows(fixtureEntries()));
  });

  it('given an entry whose title or ticker holds a NUL or lone surrogates, then the map is stored, that text cleaned', async () => {
    // Valid JSON escapes Postgres refuses as given (SQLSTATE 22021), or writes as one U+FFFD (two
    // tickers one key: 21000): one such entry would keep the whole table from every refresh.
    const hostile = JSON.parse(
      '{"0":{"cik_str":9999999,"ticker":"SYMB","title":"Symbology\\u0000 Test Corp"},' +
        '"1":{"cik_str":9999998,"ticker":"FLKY\\ud800","title":"Flaky Filings Inc"},' +
        '"2":{"cik_str":9999997,"ticker":"FLKY\\udbff","title":"Flaky Twice"}}',
    ) as unknown;
    const rows = tickerMapRows(CompanyTickersSchema.parse(hostile));
    await expect(storeTickerMap(db, rows)).resolves.toEqual({ upserted: 0, deleted: 4 });
    expect((await readTable(h)).map(({ ticker, cik, title }) => ({ ticker, cik, title }))).toEqual([
      { ticker: 'SYMB', cik: '0009999999', title: 'Symbology Test Corp' },
      { ticker: 'FLKY', cik: '0009999998', title: 'Flaky Filings Inc' },
    ]);
    await storeTickerMap(db, tickerMapRows(fixtureEntries()));
  });
});

describe('the EDGAR ticker map when EDGAR is down at boot', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('then the ingestor still starts, and the map is stored by the next download a task makes', async () => {
    // Three 503s use up the boot download's three attempts (the harness's EDGAR_MAX_ATTEMPTS).
    h.mirror.inject({ pattern: TICKERS_PATH, status: 503, times: 3 });
    await h.start();
    await until(
      () => Promise.resolve(h.mirror.requests().filter((r) => r.path === TICKERS_PATH).length),
      (n) => n === 3,
      'three failed attempts',
    );
    expect(await readTable(h)).toEqual([]);
    const events = await h.waitForTerminal(await h.request('SYMB'));
    expect(events.map((e) => e.type)).toContain('IngestCompleted');
    await until(
      () => readTable(h),
      (r) => r.length === 6,
      'the ticker map after the retry',
    );
  });
});
