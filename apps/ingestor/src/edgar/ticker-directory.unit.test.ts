import { describe, expect, it } from 'vitest';
import { CompanyTickerMapSchema, CompanyTickersSchema, type CompanyTicker } from './company-tickers-schema';
import { tickerMapRows } from '../storage/ticker-map-rows';
import { createTickerDirectory } from './ticker-directory';
import { FIXTURES_DIR, SHARED_DIR, hasShared, readJson } from './test-data';

const HOUR = 3_600_000;

function fakeClient(load: () => CompanyTicker[]) {
  let calls = 0;
  return {
    client: { tickers: async () => (calls++, load()) },
    calls: () => calls,
  };
}

const fixtureTickers = () =>
  CompanyTickersSchema.parse(readJson(FIXTURES_DIR, 'www.sec.gov/files/company_tickers.json'));

describe('createTickerDirectory, given the fixture tickers', () => {
  it('when a ticker is looked up in any case, then its padded CIK, ticker and title', async () => {
    const directory = createTickerDirectory(fakeClient(fixtureTickers).client, { now: () => 0 });
    expect(await directory.lookup('symb')).toEqual({ cik: '0009999999', ticker: 'SYMB', title: 'Symbology Test Corp' });
  });

  it.each(['SYMB-B', 'SYMB.B', 'symb/b', ' symb.b '])(
    'when the class share is written %s, then it is found',
    async (written) => {
      const directory = createTickerDirectory(fakeClient(fixtureTickers).client, { now: () => 0 });
      expect((await directory.lookup(written))?.ticker).toBe('SYMB-B');
    },
  );

  it('when the ticker is unknown, then undefined', async () => {
    const directory = createTickerDirectory(fakeClient(fixtureTickers).client, { now: () => 0 });
    expect(await directory.lookup('NOPE')).toBeUndefined();
  });

  it('when lookups come within a day, then one download; after a day, a second', async () => {
    let now = 0;
    const fake = fakeClient(fixtureTickers);
    const directory = createTickerDirectory(fake.client, { now: () => now });
    await Promise.all([directory.lookup('SYMB'), directory.lookup('FLKY')]);
    now = 23 * HOUR;
    await directory.lookup('NOAR');
    expect(fake.calls()).toBe(1);
    now = 25 * HOUR;
    await directory.lookup('NOAR');
    expect(fake.calls()).toBe(2);
  });

  it('when a refresh fails, then the previous copy keeps answering; with no copy, the error surfaces', async () => {
    let now = 0;
    let fail = false;
    const directory = createTickerDirectory(
      { tickers: async () => (fail ? Promise.reject(new Error('EDGAR down')) : fixtureTickers()) },
      { now: () => now, maxAgeMs: HOUR },
    );
    await directory.lookup('SYMB');
    fail = true;
    now = 2 * HOUR;
    expect((await directory.lookup('SYMB'))?.cik).toBe('0009999999');
    const empty = createTickerDirectory({ tickers: () => Promise.reject(new Error('EDGAR down')) }, { now: () => 0 });
    await expect(empty.lookup('SYMB')).rejects.toThrow('EDGAR down');
  });

  it('when refreshed, then one download shared with lookups and onLoad told; a failed refresh rejects even with a copy', async () => {
    let now = 0;
    let fail = false;
    const loads: number[] = [];
    const fake = fakeClient(() => {
      if (fail) throw new Error('EDGAR down');
      return fixtureTickers();
    });
    const directory = createTickerDirectory(fake.client, {
      now: () => now,
      maxAgeMs: HOUR,
      onLoad: (entries) => loads.push(entries.length),
    });
    await Promise.all([directory.refresh(), directory.lookup('SYMB'), directory.refresh()]);
    expect(fake.calls()).toBe(1);
    expect(loads).toEqual([6]);
    await directory.refresh();
    expect(fake.calls()).toBe(1);
    fail = true;
    now = 2 * HOUR;
    await expect(directory.refresh()).rejects.toThrow('EDGAR down');
    expect((await directory.lookup('SYMB'))?.cik).toBe('0009999999');
    expect(loads).toEqual([6]);
  });

  it('when searching "sym", then tickers by prefix first (exact first), then titles, up to the limit', async () => {
    const directory = createTickerDirectory(fakeClient(fixtureTickers).client, { now: () => 0 });
    expect((await directory.search('symb')).map((t) => t.ticker)).toEqual(['SYMB', 'SYMB-B']);
    expect((await directory.search('no annual')).map((t) => t.ticker)).toEqual(['NOAR']);
    expect(await directory.search('s', 1)).toHaveLength(1);
    expect(await directory.search('  ')).toEqual([]);
  });
});

describe.skipIf(!hasShared)('createTickerDirectory, given SEC company_tickers.json', () => {
  const real = () => CompanyTickersSchema.parse(readJson(SHARED_DIR, 'www.sec.gov/files/company_tickers.json'));

  it('when BRK.B, aapl and TSM are looked up, then Berkshire, Apple and TSMC', async () => {
    const directory = createTickerDirectory({ tickers: async () => real() }, { now: () => 0 });
    expect((await directory.lookup('BRK.B'))?.cik).toBe('0001067983');
    expect((await directory.lookup('brk-a'))?.cik).toBe('0001067983');
    expect((await directory.lookup('aapl'))?.cik).toBe('0000320193');
    expect((await directory.lookup('TSM'))?.cik).toBe('0001046179');
  });

  it('when searching "apple", then Apple Inc. by title', async () => {
    const directory = createTickerDirectory({ tickers: async () => real() }, { now: () => 0 });
    expect((await directory.search('apple', 5)).map((t) => t.ticker)).toContain('AAPL');
  });
});

describe('company_tickers.json with odd and repeated entries', () => {
  const map = {
    '0': { cik_str: 320193, ticker: 'AAPL', title: 'Apple Inc.' },
    '1': { cik_str: 1, ticker: '', title: 'No Ticker' },
    '2': { cik_str: null, ticker: 'ZZZZ', title: 'No CIK' },
    '3': { cik_str: 2, ticker: 'YYYY', title: null },
    '4': { cik_str: 1_000_001, ticker: 'aapl', title: 'Impostor Corp' },
  };

  it('when parsed, then the odd entries are left out and counted, and the others kept in order', () => {
    const parsed = CompanyTickerMapSchema.parse(map);
    expect(parsed.entries.map((e) => e.ticker)).toEqual(['AAPL', 'aapl']);
    expect(parsed.skipped.count).toBe(3);
    expect(CompanyTickersSchema.parse(map)).toEqual(parsed.entries);
  });

  it('when no entry is usable, then the map is refused', () => {
    expect(CompanyTickerMapSchema.safeParse({ '0': { cik_str: null, ticker: '', title: 'X' } }).success).toBe(false);
    expect(CompanyTickerMapSchema.parse({}).entries).toEqual([]);
  });

  it('when a ticker is listed twice, then the ingestor and the web table both resolve it to the first entry', async () => {
    const entries = CompanyTickersSchema.parse(map);
    const directory = createTickerDirectory({ tickers: async () => entries }, { now: () => 0 });
    expect((await directory.lookup('AAPL'))?.cik).toBe('0000320193');
    expect(tickerMapRows(entries).find((r) => r.ticker === 'AAPL')?.cik).toBe('0000320193');
  });
});
