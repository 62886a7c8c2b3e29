import { describe, expect, it } from 'vitest';
import { homeSearchHref } from './home-search-href';

describe('homeSearchHref', () => {
  it('given a ticker or name, when searched from any page, then it sends it trimmed to the home page', () => {
    expect(homeSearchHref(' AAPL ')).toBe('/?q=AAPL');
    expect(homeSearchHref('Berkshire & co')).toBe('/?q=Berkshire%20%26%20co');
  });

  it('given blank text, then there is nowhere to go', () => {
    expect(homeSearchHref('')).toBeUndefined();
    expect(homeSearchHref('   ')).toBeUndefined();
  });
});
