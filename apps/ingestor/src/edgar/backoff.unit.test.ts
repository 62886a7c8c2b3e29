import { describe, expect, it } from 'vitest';
import { backoffDelayMs, parseRetryAfterMs } from './backoff';

describe('backoffDelayMs (full jitter)', () => {
  const tuning = { baseDelayMs: 500, maxDelayMs: 30_000 };

  it('given the largest random draw, when attempts go on, then the ceiling doubles from the base and stops at the cap', () => {
    const delays = [1, 2, 3, 7, 20].map((attempt) => backoffDelayMs(attempt, { ...tuning, random: () => 0.999999 }));
    expect(delays).toEqual([499, 999, 1999, 29_999, 29_999]);
  });

  it('given a random draw of zero, when any attempt fails, then no wait at all (the whole interval is randomised)', () => {
    expect(backoffDelayMs(5, { ...tuning, random: () => 0 })).toBe(0);
  });
});

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
