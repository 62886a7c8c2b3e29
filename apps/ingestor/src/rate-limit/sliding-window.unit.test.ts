import { describe, expect, it } from 'vitest';
import { maxInAnyWindow } from '@symbology/edgar-mirror';
import { decideStart, liveStarts } from './sliding-window';

const policy = { limit: 3, windowMs: 1000 };

describe('decideStart', () => {
  it('grants while fewer than the limit started within the window', () => {
    expect(decideStart([], 5000, policy)).toEqual({ grant: true, ring: [5000] });
    expect(decideStart([4500, 4800], 5000, policy)).toEqual({ grant: true, ring: [4500, 4800, 5000] });
  });

  it('refuses the limit+1-th start in a window and says how long until the oldest leaves it', () => {
    expect(decideStart([4500, 4800, 4900], 5000, policy)).toEqual({ grant: false, waitMs: 500 });
  });

  it('grants again exactly when the oldest start is a full window old', () => {
    expect(decideStart([4000, 4800, 4900], 5000, policy)).toEqual({ grant: true, ring: [4800, 4900, 5000] });
  });

  it('keeps no more than `limit` starts in the ring', () => {
    const decision = decideStart([1, 2, 3, 4, 5], 10_000, policy);
    expect(decision).toEqual({ grant: true, ring: [10_000] });
  });

  it('allows no more than the limit in a window that straddles two calendar seconds', () => {
    // A burst at the end of one second and the start of the next: a per-second bucket would allow 6.
    let ring: number[] = [];
    const granted: number[] = [];
    for (let now = 1900; now < 2200; now += 10) {
      const d = decideStart(ring, now, policy);
      if (d.grant) {
        ring = d.ring;
        granted.push(now);
      }
    }
    expect(granted).toEqual([1900, 1910, 1920]);
    expect(maxInAnyWindow(granted, 1000)).toBeLessThanOrEqual(3);
  });

  it('never lets any window exceed the limit when callers arrive at random times', () => {
    let ring: number[] = [];
    const granted: number[] = [];
    let now = 0;
    for (let i = 0; i < 2000; i++) {
      now += Math.floor(Math.random() * 120);
      const d = decideStart(ring, now, policy);
      if (d.grant) {
        ring = d.ring;
        granted.push(now);
      }
    }
    expect(maxInAnyWindow(granted, 1000)).toBe(3);
  });
});

describe('liveStarts', () => {
  it('drops starts older than the window and starts a replica with a jumped clock put far in the future', () => {
    expect(liveStarts([100, 4200, 4100, 99_000], 5000, 1000)).toEqual([4100, 4200]);
  });
});

describe('maxInAnyWindow', () => {
  it('counts starts in the busiest window, half-open at its end', () => {
    expect(maxInAnyWindow([0, 999, 1000, 1500, 1999], 1000)).toBe(3);
    expect(maxInAnyWindow([], 1000)).toBe(0);
  });
});
