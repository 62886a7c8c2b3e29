import { describe, expect, it } from 'vitest';
import { SEARCH_QUERY_MAX_LENGTH } from '@symbology/contracts';
import { pickMatch, searchQuery, type Match } from './pick-match';

const tesla: Match = { cik: '0001318605', name: 'Tesla, Inc.', tickers: ['TSLA'], ingested: false };
const berkshire: Match = {
  cik: '0001067983',
  name: 'Berkshire Hathaway Inc',
  tickers: ['BRK-B', 'BRK-A'],
  ingested: true,
};
const tsl: Match = { cik: '0000000001', name: 'Tsl Holdings', tickers: ['TSL'], ingested: false };

describe('pickMatch: what Enter chooses', () => {
  it('takes the top suggestion for a name, not the name as a ticker', () => {
    expect(pickMatch('tesla', [tesla])).toEqual({ kind: 'match', match: tesla, ticker: 'TSLA' });
  });

  it('prefers the company whose ticker is exactly the text, in any spelling of the share class', () => {
    expect(pickMatch('tsl', [tesla, tsl])).toMatchObject({ match: tsl, ticker: 'TSL' });
    expect(pickMatch('brk.a', [berkshire])).toMatchObject({ match: berkshire, ticker: 'BRK-A' });
  });

  it('says nothing matches, offering the ticker only when the text is a valid one', () => {
    expect(pickMatch('zzzz', [])).toEqual({ kind: 'none', ticker: 'ZZZZ' });
    expect(pickMatch('no such company', [])).toEqual({ kind: 'none', ticker: undefined });
  });
});

describe('searchQuery: what autocomplete may send', () => {
  it('never sends an empty or over-long query', () => {
    expect(searchQuery('  ')).toBeUndefined();
    expect(searchQuery(' apple ')).toBe('apple');
    expect(searchQuery('x'.repeat(SEARCH_QUERY_MAX_LENGTH))).toHaveLength(SEARCH_QUERY_MAX_LENGTH);
    expect(searchQuery('x'.repeat(SEARCH_QUERY_MAX_LENGTH + 1))).toBeUndefined();
  });
});
