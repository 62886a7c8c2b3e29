import { describe, expect, it } from 'vitest';
import { formatFiscalYearEnd, formatMoney } from './format';

describe('formatMoney', () => {
  it('scales to K/M/B/T and keeps the sign', () => {
    expect(formatMoney(391_035_000_000)).toBe('$391B');
    expect(formatMoney(-12_345_678)).toBe('−$12.3M');
    expect(formatMoney(null)).toBe('—');
  });
});

describe('formatFiscalYearEnd', () => {
  it('reads EDGAR MMDD', () => {
    expect(formatFiscalYearEnd('0926')).toBe('September 26');
    expect(formatFiscalYearEnd(null)).toBe('—');
  });
});
