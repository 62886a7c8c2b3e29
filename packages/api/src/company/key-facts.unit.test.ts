import { describe, expect, it } from 'vitest';
import { pickKeyFacts, type FactRow } from './key-facts';

const filing = { accession: '0000000001-24-000001', fiscalYear: 2024, reportDate: '2024-12-31' };
const fact = (
  concept: string,
  value: string,
  periodStart: string | null,
  periodEnd = '2024-12-31',
  unit = 'USD',
): FactRow => ({
  accession: filing.accession,
  concept,
  unit,
  periodStart,
  periodEnd,
  value,
});

describe('pickKeyFacts', () => {
  it('takes the year ending on the report date, not the comparative year or a quarter', () => {
    const [year] = pickKeyFacts(
      [filing],
      [
        fact('Revenues', '90', '2023-01-01', '2023-12-31'),
        fact('Revenues', '30', '2024-10-01'),
        fact('Revenues', '100', '2024-01-01'),
        fact('Assets', '500', null),
      ],
    );
    expect(year?.revenue).toEqual({ value: 100, concept: 'Revenues', unit: 'USD' });
    expect(year?.totalAssets?.value).toBe(500);
  });

  it('falls back to the next revenue concept when the first is absent, and to null when none is there', () => {
    const [year] = pickKeyFacts(
      [filing],
      [fact('RevenueFromContractWithCustomerExcludingAssessedTax', '7', '2024-01-01')],
    );
    expect(year?.revenue?.concept).toBe('RevenueFromContractWithCustomerExcludingAssessedTax');
    expect(year?.netIncome).toBeNull();
  });

  it('ignores facts reported by another filing', () => {
    const other = { ...fact('Assets', '1', null), accession: '0000000001-23-000001' };
    expect(pickKeyFacts([filing], [other])[0]?.totalAssets).toBeNull();
  });
});
