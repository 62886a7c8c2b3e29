import { describe, expect, it } from 'vitest';
import { SEARCH_QUERY_MAX_LENGTH } from '@symbology/contracts';
import { askAnywayWords, pickMatch, searchQuery, shareClassTicker, type Match } from './pick-match';

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

describe('a share class typed with a space', () => {
  it('given "BRK B", then Enter finds BRK-B as it does for brk.b', () => {
    expect(shareClassTicker('BRK B')).toBe('BRK-B');
    expect(shareClassTicker(' brk b ')).toBe('BRK-B');
    expect(pickMatch('BRK B', [berkshire])).toEqual({ kind: 'match', match: berkshire, ticker: 'BRK-B' });
    expect(pickMatch('BRK B', [])).toEqual({ kind: 'none', ticker: 'BRK-B' });
  });

  it('leaves names alone: more than one space, or a second word too long for a class', () => {
    expect(shareClassTicker('Berkshire Hathaway')).toBeUndefined();
    expect(shareClassTicker('no such company')).toBeUndefined();
    expect(shareClassTicker('BRK  B')).toBeUndefined();
    expect(pickMatch('tesla inc', [tesla])).toMatchObject({ match: tesla, ticker: 'TSLA' });
  });
});

describe('askAnywayWords: the offer when nothing matches', () => {
  it('says what the search knows, never that the ticker list may not be loaded', () => {
    const words = askAnywayWords('ZZZZZZ');
    expect(words.reason).toBe("SEC's ticker list has no ZZZZZZ.");
    expect(words.reason).not.toMatch(/may not be loaded/);
    expect(words.action).toBe('Ask EDGAR for ZZZZZZ anyway');
  });
});
