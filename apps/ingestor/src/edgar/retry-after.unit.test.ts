import { describe, expect, it } from 'vitest';
import { parseRetryAfterMs } from './retry-after';

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2026-03-05T11:20:00Z');

  it('given delta-seconds, then milliseconds', () => {
    expect(parseRetryAfterMs('120', now)).toBe(120_000);
  });

  it('given an HTTP date, then the time until it, and never negative', () => {
    expect(parseRetryAfterMs('Thu, 05 Mar 2026 11:20:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfterMs('Thu, 05 Mar 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('given nothing or garbage, then undefined', () => {
    expect(parseRetryAfterMs(null, now)).toBeUndefined();
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
  });
});
