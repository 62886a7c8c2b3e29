import { describe, expect, it } from 'vitest';
import { knownCompanyHref, updateDeferredBecause } from './selection';

describe("where a known company's answer opens it", () => {
  const taskId = '0190a0f0-0000-7000-8000-000000000001';

  it('follows the refresh or retry behind the page, else says one was due and could not start', () => {
    expect(knownCompanyHref({ ticker: 'BRK-B', background: null, deferred: null })).toBe('/companies/BRK-B');
    expect(knownCompanyHref({ ticker: 'AAPL', background: { taskId }, deferred: null })).toBe(
      `/companies/AAPL?updating=${taskId}`,
    );
    expect(knownCompanyHref({ ticker: 'AAPL', background: null, deferred: 'peer_busy' })).toBe(
      '/companies/AAPL?update=deferred-yours',
    );
    expect(knownCompanyHref({ ticker: 'AAPL', background: null, deferred: 'queue_full' })).toBe(
      '/companies/AAPL?update=deferred',
    );
  });

  it('reads the notice and its reason back from the address, and nothing else as it', () => {
    for (const because of ['queue_full', 'peer_busy'] as const) {
      const query = new URL(`http://x${knownCompanyHref({ ticker: 'A', background: null, deferred: because })}`);
      expect(updateDeferredBecause(query.searchParams.get('update'))).toBe(because);
    }
    for (const other of [undefined, '', 'Deferred', ['deferred'], 'queue_full', 'deferred-Yours']) {
      expect(updateDeferredBecause(other)).toBeNull();
    }
  });
});
