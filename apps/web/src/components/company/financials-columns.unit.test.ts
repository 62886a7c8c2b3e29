import { describe, expect, it } from 'vitest';
import { newestFirst } from './financials-columns';

describe('newestFirst', () => {
  it('puts the latest fiscal year in the first column, whatever order the years come in', () => {
    const years = [2021, 2025, 2023, 2022, 2024].map((fiscalYear) => ({ fiscalYear }));
    expect(newestFirst(years).map((y) => y.fiscalYear)).toEqual([2025, 2024, 2023, 2022, 2021]);
  });

  it('leaves the given list as it was', () => {
    const years = [{ fiscalYear: 2021 }, { fiscalYear: 2022 }];
    newestFirst(years);
    expect(years.map((y) => y.fiscalYear)).toEqual([2021, 2022]);
  });
});
