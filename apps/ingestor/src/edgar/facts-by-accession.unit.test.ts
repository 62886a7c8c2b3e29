import { describe, expect, it } from 'vitest';
import { CompanyFactsSchema } from './company-facts-schema';
import { factsForAccession, indexFactsByAccession } from './facts-by-accession';
import { FIXTURES_DIR, SHARED_DIR, hasShared, readJson } from './test-data';

const load = (root: string, cik: string) =>
  CompanyFactsSchema.parse(readJson(root, `data.sec.gov/api/xbrl/companyfacts/CIK${cik}.json`));

describe.skipIf(!hasShared)('facts of a filing, given real companyfacts', () => {
  it("when Apple's FY2024 10-K is looked up, then its revenue for the year ending 2024-09-28 is there, keyed by period", () => {
    const facts = factsForAccession(load(SHARED_DIR, '0000320193'), '0000320193-24-000123');
    const revenue = facts.find(
      (f) =>
        f.concept === 'RevenueFromContractWithCustomerExcludingAssessedTax' && f.period === '2023-10-01/2024-09-28',
    );
    expect(revenue).toEqual({
      taxonomy: 'us-gaap',
      concept: 'RevenueFromContractWithCustomerExcludingAssessedTax',
      label: 'Revenue from Contract with Customer, Excluding Assessed Tax',
      unit: 'USD',
      value: '391035000000',
      periodStart: '2023-10-01',
      periodEnd: '2024-09-28',
      period: '2023-10-01/2024-09-28',
      fiscalYear: 2024,
      fiscalPeriod: 'FY',
      form: '10-K',
      frame: null,
    });
    expect(facts.length).toBeGreaterThan(400);
    expect(new Set(facts.map((f) => f.taxonomy))).toEqual(new Set(['us-gaap', 'dei']));
  });

  it('when the index is built once, then it agrees with the single lookup and has no duplicate keys', () => {
    const companyFacts = load(SHARED_DIR, '0000320193');
    const index = indexFactsByAccession(companyFacts);
    const rows = index.get('0000320193-24-000123') ?? [];
    expect(rows).toEqual(factsForAccession(companyFacts, '0000320193-24-000123'));
    const keys = rows.map((f) => `${f.taxonomy}|${f.concept}|${f.unit}|${f.period}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("when TSMC's FY2024 20-F is looked up, then ifrs-full facts in TWD, with a null label kept as null", () => {
    const facts = factsForAccession(load(SHARED_DIR, '0001046179'), '0001193125-25-083423');
    expect(facts.length).toBeGreaterThan(50);
    expect(facts.some((f) => f.taxonomy === 'ifrs-full' && f.unit === 'TWD')).toBe(true);
    expect(facts.every((f) => f.taxonomy === 'ifrs-full' || f.taxonomy === 'dei')).toBe(true);
    expect(facts.some((f) => f.label === null)).toBe(true);
  });
});

describe('facts of a filing, given the SYMB fixture', () => {
  const companyFacts = load(FIXTURES_DIR, '0009999999');

  it('when the FY2025 10-K is looked up, then durations, instants and dei facts of that filing only', () => {
    const facts = factsForAccession(companyFacts, '0009999999-26-000004');
    const revenue2025 = facts.filter((f) => f.concept === 'Revenues' && f.period === '2025-01-01/2025-12-31');
    expect(revenue2025).toEqual([
      expect.objectContaining({ value: '86450000', frame: 'CY2025', fiscalYear: 2025, fiscalPeriod: 'FY' }),
    ]);
    expect(facts.find((f) => f.concept === 'Assets' && f.period === '2025-12-31')).toMatchObject({
      periodStart: null,
      periodEnd: '2025-12-31',
      value: '163250000',
      frame: 'CY2025Q4I',
    });
    expect(facts.find((f) => f.concept === 'NetIncomeLoss' && f.periodEnd === '2025-12-31')?.value).toBe('14600000');
    expect(facts.find((f) => f.concept === 'EntityCommonStockSharesOutstanding')).toMatchObject({
      taxonomy: 'dei',
      unit: 'shares',
    });
    expect(facts.find((f) => f.concept === 'EarningsPerShareBasic')?.value).toBe('1.1');
  });

  it('when a taxonomy is not stored (srt), then its facts are left out', () => {
    expect(factsForAccession(companyFacts, '0009999999-26-000004').some((f) => f.taxonomy === 'srt')).toBe(false);
  });

  it('when the 10-K/A and the original report the same period, then each filing keeps its own copy', () => {
    const index = indexFactsByAccession(companyFacts);
    const original = index
      .get('0009999999-25-000002')
      ?.find((f) => f.concept === 'Revenues' && f.periodEnd === '2024-12-31');
    const amendment = index
      .get('0009999999-25-000005')
      ?.find((f) => f.concept === 'Revenues' && f.periodEnd === '2024-12-31');
    expect(original).toMatchObject({ form: '10-K', frame: 'CY2024' });
    expect(amendment).toMatchObject({ form: '10-K/A', frame: null });
  });

  it('when an accession has no facts, then an empty list', () => {
    expect(factsForAccession(companyFacts, '0000000000-00-000000')).toEqual([]);
  });
});
