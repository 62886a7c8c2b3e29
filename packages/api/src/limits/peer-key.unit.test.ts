import { describe, expect, it } from 'vitest';
import { peerKey } from './peer-key';

describe('peerKey', () => {
  it('given an IPv4 address (or anything not IPv6), then the address itself', () => {
    expect(peerKey('203.0.113.7')).toBe('203.0.113.7');
    expect(peerKey('unknown')).toBe('unknown');
  });

  it('given IPv6 addresses of one /64, written any way, then one key', () => {
    const keys = ['2001:db8:0:1::1', '2001:db8:0:1:ffff:1:2:3', '2001:0DB8:0000:0001:0:0:0:9'].map(peerKey);
    expect(new Set(keys)).toEqual(new Set(['2001:db8:0:1::/64']));
  });

  it('given IPv6 addresses of different /64s, or short forms, then different keys', () => {
    expect(peerKey('2001:db8:0:2::1')).toBe('2001:db8:0:2::/64');
    expect(peerKey('::1')).toBe('0:0:0:0::/64');
    expect(peerKey('fe80::1')).toBe('fe80:0:0:0::/64');
  });
});
