import { describe, expect, it } from 'vitest';
import { createHostAllowList } from './host-allow-list';

describe('createHostAllowList', () => {
  const allowed = createHostAllowList(['symbology.example.com'], '127.0.0.1');

  it('given IP literals and localhost names, with or without a port, then allowed', () => {
    for (const host of [
      '127.0.0.1:3000',
      '[::1]:3000',
      '10.0.0.5',
      'localhost',
      'LOCALHOST:80',
      'app.localhost:3000',
    ]) {
      expect(allowed(host)).toBe(true);
    }
  });

  it('given a configured name, then allowed; any other name, a missing or a malformed Host, then refused', () => {
    expect(allowed('symbology.example.com:443')).toBe(true);
    for (const host of [
      'evil.example',
      'symbology.example.com.evil.example',
      'localhost.evil.example',
      '',
      'a b',
      undefined,
    ]) {
      expect(allowed(host)).toBe(false);
    }
  });

  it('given the bound host is a name, then it is allowed; given `*`, then anything is', () => {
    expect(createHostAllowList([], 'web.internal')('web.internal:3000')).toBe(true);
    expect(createHostAllowList(['*'], '127.0.0.1')('anything.example')).toBe(true);
  });
});
