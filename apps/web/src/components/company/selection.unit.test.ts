import { describe, expect, it } from 'vitest';
import { isUpdateDeferred, knownCompanyHref } from './selection';

describe("where a known company's answer opens it", () => {
  const taskId = '0190a0f0-0000-7000-8000-000000000001';

  it('follows the refresh or retry behind the page, else says one was due and could not start', () => {
    expect(knownCompanyHref({ ticker: 'BRK-B', background: null, deferred: false })).toBe('/companies/BRK-B');
    expect(knownCompanyHref({ ticker: 'AAPL', background: { taskId }, deferred: false })).toBe(
      `/companies/AAPL?updating=${taskId}`,
    );
    expect(knownCompanyHref({ ticker: 'AAPL', background: null, deferred: true })).toBe(
      '/companies/AAPL?update=deferred',
    );
  });

  it('reads the notice back from the address, and nothing else as it', () => {
    const query = new URL(`http://x${knownCompanyHref({ ticker: 'A', background: null, deferred: true })}`);
    expect(isUpdateDeferred(query.searchParams.get('update'))).toBe(true);
    for (const other of [undefined, '', 'Deferred', ['deferred']]) expect(isUpdateDeferred(other)).toBe(false);
  });
});
