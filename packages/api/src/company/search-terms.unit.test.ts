import { describe, expect, it } from 'vitest';
import { searchTerms } from './search-terms';

describe('searchTerms', () => {
  it("given a class share written with a dot, when searched, then the ticker patterns use SEC's dash form", () => {
    expect(searchTerms(' brk.b ')).toEqual({
      ticker: 'BRK-B',
      tickerLike: 'BRK-B%',
      titleLike: 'brk.b%',
      wordLike: '% brk.b%',
    });
  });

  it('given LIKE wildcards in the query, then they are escaped and match themselves', () => {
    expect(searchTerms('a_%')).toMatchObject({ tickerLike: 'A\\_\\%%', titleLike: 'a\\_\\%%', wordLike: '% a\\_\\%%' });
  });
});
