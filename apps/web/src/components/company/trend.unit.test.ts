import { describe, expect, it } from 'vitest';
import { latestChange } from './trend';

describe('latestChange', () => {
  it('compares the two latest years that have a value', () => {
    expect(latestChange([100, 110, null], [2022, 2023, 2024])).toBe('+10.0% vs FY2022');
    expect(latestChange([-50, 25], [2023, 2024])).toBe('+150.0% vs FY2023');
    expect(latestChange([200, 150], [2023, 2024])).toBe('−25.0% vs FY2023');
  });

  it('says nothing with fewer than two values or from zero', () => {
    expect(latestChange([null, 5], [2023, 2024])).toBe('');
    expect(latestChange([0, 5], [2023, 2024])).toBe('');
  });
});
