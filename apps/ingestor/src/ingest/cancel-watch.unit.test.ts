import { describe, expect, it } from 'vitest';
import { cancelledData } from './cancel-watch';

describe('cancelledData: what a cancelled task says it kept', () => {
  it('given a cancel before any annual report was listed, then it says so, not "after every filing"', () => {
    expect(cancelledData([], new Map())).toEqual({
      completed: 0,
      partial: 0,
      failed: 0,
      notAttempted: 0,
      reason: 'stopped on request before any annual report was listed',
    });
  });

  it('given filings worked on and some never started, then it counts both', () => {
    const done = new Map([['a', 'completed' as const]]);
    expect(cancelledData(['a', 'b'], done)).toMatchObject({
      completed: 1,
      notAttempted: 1,
      reason: 'stopped on request after 1 of 2 filings; 1 not attempted (what was stored is kept)',
    });
  });
});
