import { describe, expect, it } from 'vitest';
import { createPeerResolver } from './client-address';

describe('createPeerResolver', () => {
  it('given no trusted proxies, then the socket peer, whatever X-Forwarded-For says', () => {
    const resolve = createPeerResolver([]);
    expect(resolve('203.0.113.7', '198.51.100.1')).toBe('203.0.113.7');
    expect(resolve('::ffff:203.0.113.7', undefined)).toBe('203.0.113.7');
  });

  it('given a trusted proxy, then the rightmost untrusted hop, not what the client wrote on the left', () => {
    const resolve = createPeerResolver(['10.0.0.0/8', '192.0.2.10']);
    expect(resolve('10.1.2.3', 'forged, 198.51.100.1')).toBe('198.51.100.1');
    expect(resolve('10.1.2.3', '198.51.100.1, 192.0.2.10')).toBe('198.51.100.1');
    expect(resolve('10.1.2.3', ['203.0.113.1', '198.51.100.2'])).toBe('198.51.100.2');
  });

  it('given a trusted proxy and a malformed or absent header, then the last trusted hop', () => {
    const resolve = createPeerResolver(['10.0.0.0/8']);
    expect(resolve('10.1.2.3', 'not-an-ip')).toBe('10.1.2.3');
    expect(resolve('10.1.2.3', undefined)).toBe('10.1.2.3');
    expect(resolve('10.1.2.3', '10.9.9.9')).toBe('10.9.9.9');
  });

  it('given IPv6 proxies by CIDR, then IPv6 hops resolve the same way', () => {
    const resolve = createPeerResolver(['fd00::/8']);
    expect(resolve('fd00::5', '2001:db8::1')).toBe('2001:db8::1');
    expect(resolve('2001:db8::9', '2001:db8::1')).toBe('2001:db8::9');
  });
});
