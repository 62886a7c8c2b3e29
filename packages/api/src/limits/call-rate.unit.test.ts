import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createApiMetrics } from '../metrics';
import { admitCall } from './call-rate';
import { RateLimiter } from './rate-limiter';

describe('admitCall', () => {
  const setup = (limiter: RateLimiter | undefined) => {
    const metrics = createApiMetrics(new Registry());
    const call = (peer: string) => admitCall({ callLimiter: limiter, peer, metrics });
    const refused = async () =>
      (await metrics.refused.get()).values.find((v) => v.labels.reason === 'call_rate_limited');
    return { call, refused };
  };

  it('given a peer past its burst, refuses its next call with RATE_LIMITED and when to try again, and counts it', async () => {
    const { call, refused } = setup(new RateLimiter(60, 2, () => 0));
    call('203.0.113.7');
    call('203.0.113.7');
    expect(() => call('203.0.113.7')).toThrow(
      expect.objectContaining({
        code: 'RATE_LIMITED',
        message: 'Too many requests: try again in 1 s',
        retryAfterMs: 1000,
      }),
    );
    expect((await refused())?.value).toBe(1);
  });

  it('keys on the peer as the other limits do: another address has its own bucket, an IPv6 /64 one for all', () => {
    const { call } = setup(new RateLimiter(60, 1, () => 0));
    call('203.0.113.7');
    expect(() => call('203.0.113.8')).not.toThrow();
    call('2001:db8:0:1::1');
    expect(() => call('2001:db8:0:1::2')).toThrow(expect.objectContaining({ code: 'RATE_LIMITED' }));
  });

  it('given no limiter (the host calling itself), never refuses', () => {
    const { call } = setup(undefined);
    for (let i = 0; i < 1_000; i++) call('unknown');
  });
});
