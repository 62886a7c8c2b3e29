import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff-delay';

describe('backoffDelay', () => {
  const tuning = { baseMs: 500, maxMs: 30_000 };

  it('given no jitter, when attempts go on, then the wait doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 4, 7, 20].map((attempt) => backoffDelay(attempt, tuning))).toEqual([
      500, 1_000, 2_000, 4_000, 30_000, 30_000,
    ]);
  });

  it('given an attempt below 1, then it counts as the first', () => {
    expect(backoffDelay(0, tuning)).toBe(500);
    expect(backoffDelay(-3, tuning)).toBe(500);
  });

  it('given a huge attempt or a zero base, then a finite number, never NaN', () => {
    expect(backoffDelay(10_000, tuning)).toBe(30_000);
    expect(backoffDelay(10_000, { baseMs: 0, maxMs: 1_000 })).toBe(0);
  });

  it('given full jitter, then anywhere from 0 up to (not including) the step', () => {
    const highest = [1, 2, 3, 7, 20].map((a) => backoffDelay(a, { ...tuning, jitter: 'full', random: () => 0.999999 }));
    expect(highest).toEqual([499, 999, 1_999, 29_999, 29_999]);
    expect(backoffDelay(5, { ...tuning, jitter: 'full', random: () => 0 })).toBe(0);
  });

  it('given equal jitter, then between half the step and the step', () => {
    const step = { baseMs: 500, maxMs: 10_000, jitter: 'equal' as const };
    expect(backoffDelay(1, { ...step, random: () => 0 })).toBe(250);
    expect(backoffDelay(1, { ...step, random: () => 0.999999 })).toBe(499);
    expect(backoffDelay(9, { ...step, random: () => 0 })).toBe(5_000);
  });

  it('given the default random, then every draw stays inside the bounds', () => {
    for (let i = 0; i < 200; i++) {
      const wait = backoffDelay(3, { ...tuning, jitter: 'equal' });
      expect(wait).toBeGreaterThanOrEqual(1_000);
      expect(wait).toBeLessThan(2_000);
    }
  });
});
