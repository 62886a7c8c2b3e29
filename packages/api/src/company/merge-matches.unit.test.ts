import { describe, expect, it } from 'vitest';
import { mergeMatches } from './merge-matches';
import type { TickerMapRow } from './search-ticker-map';

const mapRow = (
  ticker: string,
  cik: string,
  title: string,
  rank: number,
  company: TickerMapRow['company'] = null,
): TickerMapRow => ({
  ticker,
  cik,
  title,
  rank,
  company,
});

describe('mergeMatches', () => {
  it('given ingested and map matches, then ingested first, one entry per company, each ticker once', () => {
    const matches = mergeMatches(
      [{ cik: '1', name: 'Symbology Test Corp', tickers: ['SYMB', 'SYMB-B'], rank: 1 }],
      [
        mapRow('SYMB', '1', 'Symbology Test Corp', 0, { name: 'Symbology Test Corp', tickers: ['SYMB', 'SYMB-B'] }),
        mapRow('SYM', '2', 'Symbiotic Inc', 1),
        mapRow('SYMB-B', '1', 'Symbology Test Corp', 1, { name: 'Symbology Test Corp', tickers: ['SYMB', 'SYMB-B'] }),
        mapRow('SYMX', '3', 'Symmetry Co', 1),
        mapRow('SYM-A', '2', 'Symbiotic Inc', 1),
      ],
      10,
    );
    expect(matches).toEqual([
      { cik: '1', name: 'Symbology Test Corp', tickers: ['SYMB', 'SYMB-B'], ingested: true },
      { cik: '2', name: 'Symbiotic Inc', tickers: ['SYM', 'SYM-A'], ingested: false },
      { cik: '3', name: 'Symmetry Co', tickers: ['SYMX'], ingested: false },
    ]);
  });

  it('given a map row of an ingested company the company search missed, then it is that company, marked ingested', () => {
    const matches = mergeMatches(
      [{ cik: '9', name: 'Other Holdings', tickers: ['OTH'], rank: 3 }],
      [mapRow('BRK-B', '5', 'Berkshire Hathaway Inc', 0, { name: 'Berkshire Hathaway Inc', tickers: ['BRK-A'] })],
      10,
    );
    expect(matches.map((m) => [m.cik, m.ingested, m.tickers])).toEqual([
      ['5', true, ['BRK-A']],
      ['9', true, ['OTH']],
    ]);
  });

  it('given more matches than the limit, then the best ones up to the limit', () => {
    const rows = ['A', 'AA', 'AAL', 'AAPL'].map((t, i) => mapRow(t, String(i), `Co ${t}`, 1));
    expect(mergeMatches([], rows, 2).map((m) => m.tickers[0])).toEqual(['A', 'AA']);
  });
});
