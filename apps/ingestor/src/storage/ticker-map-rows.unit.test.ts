import { describe, expect, it } from 'vitest';
import { tickerMapHash, tickerMapRows } from './ticker-map-rows';

const entry = (ticker: string, cik: string, title: string) => ({ ticker, cik, title });

describe('tickerMapRows', () => {
  it('given SEC entries, when turned into rows, then tickers are normalised and SEC order kept', () => {
    expect(
      tickerMapRows([
        entry('AAPL', '0000320193', 'Apple Inc.'),
        entry('brk.b', '0001067983', ' Berkshire Hathaway Inc '),
      ]),
    ).toEqual([
      { ticker: 'AAPL', cik: '0000320193', title: 'Apple Inc.', secOrder: 0 },
      { ticker: 'BRK-B', cik: '0001067983', title: 'Berkshire Hathaway Inc', secOrder: 1 },
    ]);
  });

  it('given a ticker listed twice, when turned into rows, then the first entry wins', () => {
    const rows = tickerMapRows([entry('ABC', '0000000001', 'First'), entry('abc', '0000000002', 'Second')]);
    expect(rows).toEqual([{ ticker: 'ABC', cik: '0000000001', title: 'First', secOrder: 0 }]);
  });
});

describe('tickerMapHash', () => {
  const rows = tickerMapRows([
    entry('AAPL', '0000320193', 'Apple Inc.'),
    entry('MSFT', '0000789019', 'Microsoft Corp'),
  ]);

  it('given the same content twice, then the same hash', () => {
    expect(
      tickerMapHash(
        tickerMapRows([entry('AAPL', '0000320193', 'Apple Inc.'), entry('MSFT', '0000789019', 'Microsoft Corp')]),
      ),
    ).toBe(tickerMapHash(rows));
  });

  it('given a changed title, a changed order or a missing ticker, then a different hash', () => {
    const hash = tickerMapHash(rows);
    expect(
      tickerMapHash(
        tickerMapRows([entry('AAPL', '0000320193', 'Apple'), entry('MSFT', '0000789019', 'Microsoft Corp')]),
      ),
    ).not.toBe(hash);
    expect(
      tickerMapHash(
        tickerMapRows([entry('MSFT', '0000789019', 'Microsoft Corp'), entry('AAPL', '0000320193', 'Apple Inc.')]),
      ),
    ).not.toBe(hash);
    expect(tickerMapHash(tickerMapRows([entry('AAPL', '0000320193', 'Apple Inc.')]))).not.toBe(hash);
  });
});
