import { describe, expect, it } from 'vitest';
import { isCalendarDate } from './calendar-date';
import { CompanyFactsSchema } from './company-facts-schema';
import { indexFactsByAccession } from './facts-by-accession';

// Small companyfacts in EDGAR's exact layout: taxonomy -> concept -> { label, description, units: { unit: [fact] } }.
const A = '0000000001-25-000001';
const B = '0000000001-24-000001';
const fact = (accn: string, end: string, val: unknown, extra: Record<string, unknown> = {}) => ({
  start: `${end.slice(0, 4)}-01-01`,
  end,
  val,
  accn,
  fy: Number(end.slice(0, 4)),
  fp: 'FY',
  form: '10-K',
  filed: `${Number(end.slice(0, 4)) + 1}-02-20`,
  ...extra,
});
const concept = <U extends Record<string, unknown>>(label: string, units: U) => ({
  label,
  description: `${label}.`,
  units,
});
const document = (facts: Record<string, unknown>) => ({ cik: 1, entityName: 'Example Corp', facts });
const goodFacts = () => ({
  'us-gaap': {
    Revenues: concept('Revenues', { USD: [fact(A, '2024-12-31', 100), fact(B, '2023-12-31', 90)] }),
    NetIncomeLoss: concept('Net Income (Loss)', { USD: [fact(A, '2024-12-31', 10), fact(B, '2023-12-31', 9)] }),
  },
  dei: {
    EntityCommonStockSharesOutstanding: concept('Shares Outstanding', {
      shares: [{ end: '2025-02-10', val: 5000, accn: A, fy: 2024, fp: 'FY', form: '10-K', filed: '2025-02-20' }],
    }),
  },
});
const rowsOf = (facts: Record<string, unknown>) => {
  const parsed = CompanyFactsSchema.parse(document(facts));
  const index = indexFactsByAccession(parsed);
  const rows = (accn: string) => (index.get(accn) ?? []).map((r) => `${r.concept} ${r.period} ${r.value}`).sort();
  return { parsed, rows };
};

describe('CompanyFactsSchema, given one entry of the wrong shape', () => {
  it('when one fact has "fy": 2024.5, then only that fact is left out and counted, with where and why', () => {
    const facts = goodFacts();
    facts['us-gaap'].Revenues.units.USD[0]!.fy = 2024.5;
    const { parsed, rows } = rowsOf(facts);
    expect(rows(A)).toEqual([
      'EntityCommonStockSharesOutstanding 2025-02-10 5000',
      'NetIncomeLoss 2024-01-01/2024-12-31 10',
    ]);
    expect(rows(B)).toEqual(['NetIncomeLoss 2023-01-01/2023-12-31 9', 'Revenues 2023-01-01/2023-12-31 90']);
    expect(parsed.skipped.count).toBe(1);
    expect(parsed.skipped.samples).toEqual([expect.stringMatching(/^us-gaap\.Revenues\.units\.USD\.0\.fy: .*int/)]);
  });

  it('when a value is a string, then that fact alone is left out', () => {
    const facts = goodFacts();
    facts['us-gaap'].NetIncomeLoss.units.USD[1]!.val = '9';
    const { parsed, rows } = rowsOf(facts);
    expect(rows(B)).toEqual(['Revenues 2023-01-01/2023-12-31 90']);
    expect(rows(A)).toHaveLength(3);
    expect(parsed.skipped).toMatchObject({
      count: 1,
      samples: [expect.stringContaining('NetIncomeLoss.units.USD.1.val')],
    });
  });

  it('when a unit is not a list, a concept has no units and a stored taxonomy is not an object, then each alone is left out', () => {
    const facts: Record<string, unknown> = {
      ...goodFacts(),
      'ifrs-full': ['not', 'an', 'object'],
    };
    const usGaap = facts['us-gaap'] as Record<string, unknown>;
    usGaap.Revenues = concept('Revenues', { USD: 'n/a', EUR: [fact(A, '2024-12-31', 92)] });
    usGaap.Assets = { label: 'Assets' };
    const { parsed, rows } = rowsOf(facts);
    expect(rows(A)).toEqual([
      'EntityCommonStockSharesOutstanding 2025-02-10 5000',
      'NetIncomeLoss 2024-01-01/2024-12-31 10',
      'Revenues 2024-01-01/2024-12-31 92',
    ]);
    expect(parsed.skipped.count).toBe(3);
    expect(parsed.skipped.samples).toEqual([
      expect.stringMatching(/^us-gaap\.Revenues\.units\.USD: /),
      expect.stringMatching(/^us-gaap\.Assets\.units: /),
      expect.stringMatching(/^ifrs-full: /),
    ]);
  });

  it('when many entries are wrong, then all are counted but only the first three are sampled', () => {
    const facts = goodFacts();
    for (const f of [...facts['us-gaap'].Revenues.units.USD, ...facts['us-gaap'].NetIncomeLoss.units.USD]) f.val = 'x';
    const { parsed } = rowsOf(facts);
    expect(parsed.skipped.count).toBe(4);
    expect(parsed.skipped.samples).toHaveLength(3);
  });
});

describe('CompanyFactsSchema, given a date that is not a day', () => {
  it('when one fact ends on 30 February and another starts in month 13, then those two alone are left out and counted', () => {
    const facts = goodFacts();
    facts['us-gaap'].Revenues.units.USD[0]!.end = '2024-02-30';
    facts['us-gaap'].NetIncomeLoss.units.USD[1]!.start = '2023-13-01';
    const { parsed, rows } = rowsOf(facts);
    expect(rows(A)).toEqual([
      'EntityCommonStockSharesOutstanding 2025-02-10 5000',
      'NetIncomeLoss 2024-01-01/2024-12-31 10',
    ]);
    expect(rows(B)).toEqual(['Revenues 2023-01-01/2023-12-31 90']);
    expect(parsed.skipped).toEqual({
      count: 2,
      samples: [
        'us-gaap.Revenues.units.USD.0.end: not a calendar date (YYYY-MM-DD)',
        'us-gaap.NetIncomeLoss.units.USD.1.start: not a calendar date (YYYY-MM-DD)',
      ],
    });
  });

  it('when an instant (no start) has a date of another layout, then it is left out', () => {
    const facts = goodFacts();
    facts.dei.EntityCommonStockSharesOutstanding.units.shares[0]!.end = '2025-2-10';
    const { parsed, rows } = rowsOf(facts);
    expect(rows(A)).toHaveLength(2);
    expect(parsed.skipped.count).toBe(1);
  });
});

describe('isCalendarDate', () => {
  it('takes days that exist, in years 0001-9999, leap days included', () => {
    const days = ['2024-02-29', '2000-02-29', '2023-12-31', '2023-04-30', '0001-01-01', '9999-12-31'];
    expect(days.filter(isCalendarDate)).toEqual(days);
  });
  it('refuses days that do not exist, year 0000, other layouts and padding', () => {
    const notDays = [
      '2023-02-30',
      '2023-02-29',
      '1900-02-29',
      '2023-04-31',
      '2023-00-10',
      '2023-13-01',
      '2023-01-00',
      '0000-01-01',
      '2023-1-01',
      '2023/01/01',
      '2023-01-01T00:00:00Z',
      ' 2023-01-01',
      '2023-0a-01',
      '',
    ];
    expect(notDays.filter(isCalendarDate)).toEqual([]);
  });
});

describe('CompanyFactsSchema, given taxonomies that are never stored', () => {
  it('when ecd, ffd, srt or a company extension hold entries of any shape, then they are not validated, not kept and not counted', () => {
    const { parsed, rows } = rowsOf({
      ...goodFacts(),
      ecd: { PeoTotalCompAmt: concept('PEO Total Compensation Amount', { USD: [fact(A, '2024-12-31', 'n/a')] }) },
      ffd: 'unexpected',
      srt: { ProductOrServiceAxis: { label: 7, units: null } },
      exmp: { CustomMetric: concept('Custom', { USD: [{ fy: 2024.5 }] }) },
    });
    expect(Object.keys(parsed.facts).sort()).toEqual(['dei', 'us-gaap']);
    expect(parsed.skipped).toEqual({ count: 0, samples: [] });
    expect(rows(A)).toHaveLength(3);
  });
});

describe('CompanyFactsSchema, given a document whose own shape is wrong', () => {
  it('when it is not an object, has no facts, has facts that are not an object or has no cik, then the whole document is refused', () => {
    const refused = [
      [],
      'companyfacts',
      null,
      { cik: 1, entityName: 'Example Corp' },
      { cik: 1, entityName: 'Example Corp', facts: [] },
      { cik: 1, entityName: 'Example Corp', facts: 'none' },
      { entityName: 'Example Corp', facts: goodFacts() },
    ].map((doc) => CompanyFactsSchema.safeParse(doc).success);
    expect(refused).toEqual(refused.map(() => false));
  });
});
