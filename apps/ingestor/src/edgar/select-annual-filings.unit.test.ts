import { describe, expect, it } from 'vitest';
import { SelectedFilingSchema } from '@symbology/contracts';
import { annualFilings, selectAnnualFilings, type SkippedAnnualRow } from './select-annual-filings';
import { noneSkipped } from './skipped-entries';
import { FilingColumnsSchema, SubmissionsSchema } from './submissions-schema';
import { FIXTURES_DIR, SHARED_DIR, hasShared, readJson } from './test-data';

const load = (root: string, cik: string) =>
  SubmissionsSchema.parse(readJson(root, `data.sec.gov/submissions/CIK${cik}.json`));
const accessions = (filings: ReturnType<typeof selectAnnualFilings>) => filings.map((f) => f.accession);

describe.skipIf(!hasShared)('selectAnnualFilings, given real submissions', () => {
  it("when Apple's are selected, then the five newest 10-Ks, FY2025 first, with FY2024 = 0000320193-24-000123", () => {
    const selected = selectAnnualFilings(load(SHARED_DIR, '0000320193'));
    expect(accessions(selected)).toEqual([
      '0000320193-25-000079',
      '0000320193-24-000123',
      '0000320193-23-000106',
      '0000320193-22-000108',
      '0000320193-21-000105',
    ]);
    expect(selected[1]).toEqual({
      accession: '0000320193-24-000123',
      form: '10-K',
      fiscalYear: 2024,
      reportDate: '2024-09-28',
      filingDate: '2024-11-01',
      primaryDocument: 'aapl-20240928.htm',
    });
  });

  it("when Microsoft's (June year end) are selected, then FY2025..FY2021", () => {
    const selected = selectAnnualFilings(load(SHARED_DIR, '0000789019'));
    expect(selected.map((f) => [f.fiscalYear, f.accession])).toEqual([
      [2025, '0000950170-25-100235'],
      [2024, '0000950170-24-087843'],
      [2023, '0000950170-23-035122'],
      [2022, '0001564590-22-026876'],
      [2021, '0001564590-21-039151'],
    ]);
  });

  it("when Tesla's are selected, then its 10-K/As (FY2024, FY2021) never displace the originals", () => {
    const selected = selectAnnualFilings(load(SHARED_DIR, '0001318605'));
    expect(accessions(selected)).toEqual([
      '0001628280-26-003952',
      '0001628280-25-003063',
      '0001628280-24-002390',
      '0000950170-23-001409',
      '0000950170-22-000796',
    ]);
    expect(selected.every((f) => f.form === '10-K')).toBe(true);
  });

  it('when Tesla is asked for twelve years, then its page -001 supplies FY2010..FY2016 and the 2012 10-K/A is skipped', () => {
    const page = FilingColumnsSchema.parse(
      readJson(SHARED_DIR, 'data.sec.gov/submissions/CIK0001318605-submissions-001.json'),
    );
    const selected = selectAnnualFilings(load(SHARED_DIR, '0001318605'), [page], { count: 12 });
    expect(selected.map((f) => f.fiscalYear)).toEqual([
      2025, 2024, 2023, 2022, 2021, 2020, 2019, 2018, 2017, 2016, 2015, 2014,
    ]);
    const all = selectAnnualFilings(load(SHARED_DIR, '0001318605'), [page], { count: 50 });
    expect(all.find((f) => f.fiscalYear === 2011)?.accession).toBe('0001193125-12-081990');
    expect(all.at(-1)?.fiscalYear).toBe(2010);
  });

  it("when TSMC's (a foreign filer) are selected, then 20-Fs FY2024..FY2020", () => {
    const selected = selectAnnualFilings(load(SHARED_DIR, '0001046179'));
    expect(selected.map((f) => [f.form, f.fiscalYear, f.accession])).toEqual([
      ['20-F', 2024, '0001193125-25-083423'],
      ['20-F', 2023, '0001193125-24-099840'],
      ['20-F', 2022, '0001193125-23-107214'],
      ['20-F', 2021, '0001193125-22-104891'],
      ['20-F', 2020, '0001193125-21-118512'],
    ]);
  });

  it("when Berkshire's and Two Harbors' are selected, then five 10-Ks each, newest FY2025", () => {
    expect(accessions(selectAnnualFilings(load(SHARED_DIR, '0001067983')))).toEqual([
      '0001193125-26-083899',
      '0000950170-25-025210',
      '0000950170-24-019719',
      '0000950170-23-004451',
      '0001564590-22-007322',
    ]);
    expect(accessions(selectAnnualFilings(load(SHARED_DIR, '0001465740')))).toEqual([
      '0001465740-26-000009',
      '0001465740-25-000083',
      '0001465740-24-000076',
      '0001465740-23-000055',
      '0001465740-22-000018',
    ]);
  });

  it("when Fannie Mae's recent list is all there is, then only the three 10-Ks it reaches", () => {
    expect(accessions(selectAnnualFilings(load(SHARED_DIR, '0000310522')))).toEqual([
      '0000310522-26-000015',
      '0000310522-25-000199',
      '0000310522-24-000184',
    ]);
  });

  it('when an individual (Buffett) or a filer with no filings is selected, then nothing', () => {
    expect(selectAnnualFilings(load(SHARED_DIR, '0000315090'))).toEqual([]);
    expect(selectAnnualFilings(load(SHARED_DIR, '0000350001'))).toEqual([]);
  });
});

describe('selectAnnualFilings, given the fixture companies', () => {
  it('when SYMB (seven 10-Ks and a 10-K/A) is selected, then FY2025..FY2021 originals only', () => {
    const selected = selectAnnualFilings(load(FIXTURES_DIR, '0009999999'));
    expect(selected.map((f) => [f.fiscalYear, f.accession])).toEqual([
      [2025, '0009999999-26-000004'],
      [2024, '0009999999-25-000002'],
      [2023, '0009999999-24-000002'],
      [2022, '0009999999-23-000002'],
      [2021, '0009999999-22-000002'],
    ]);
  });

  it('when a 10-K has no reportDate, then its period end and fiscal year come from the filing date', () => {
    const fy2021 = selectAnnualFilings(load(FIXTURES_DIR, '0009999999')).at(-1);
    expect(fy2021).toMatchObject({ reportDate: '2021-12-31', fiscalYear: 2021, filingDate: '2022-02-25' });
  });

  it('when NOAR (10-Q, 8-K, 10-K/A, 10-KT only) is selected, then nothing', () => {
    expect(selectAnnualFilings(load(FIXTURES_DIR, '0009999997'))).toEqual([]);
  });

  it('when two originals claim one fiscal year, then the later period end wins, and an accession in two sources counts once', () => {
    const submissions = {
      fiscalYearEnd: '1231',
      filings: {
        files: [],
        recent: {
          accessionNumber: ['0000000001-25-000002', '0000000001-25-000001', '0000000001-24-000001'],
          filingDate: ['2025-03-30', '2025-03-01', '2024-03-01'],
          reportDate: ['2025-01-02', '2024-12-27', '2023-12-31'],
          form: ['10-K', '10-K405', '10-K'],
          primaryDocument: ['b.htm', 'a.htm', 'c.htm'],
        },
      },
    };
    const selected = selectAnnualFilings(submissions, [submissions.filings.recent]);
    expect(selected.map((f) => [f.fiscalYear, f.accession])).toEqual([
      [2024, '0000000001-25-000002'],
      [2023, '0000000001-24-000001'],
    ]);
  });

  describe('given one odd annual-report row among good ones', () => {
    const GOOD = ['0000000001-25-000001', '0000000001-24-000001', '0000000001-23-000001', '0000000001-22-000001'];
    const listWith = (odd: { filingDate?: string; reportDate?: string; primaryDocument?: string }) => ({
      fiscalYearEnd: '1231',
      filings: {
        files: [],
        recent: {
          accessionNumber: ['0000000001-26-000001', ...GOOD],
          filingDate: [odd.filingDate ?? '2026-02-20', '2025-02-20', '2024-02-20', '2023-02-20', '2022-02-20'],
          reportDate: [odd.reportDate ?? '2025-12-31', '2024-12-31', '2023-12-31', '2022-12-31', '2021-12-31'],
          form: ['10-K', '10-K', '10-K', '10-K', '10-K'],
          primaryDocument: [odd.primaryDocument ?? 'a.htm', 'b.htm', 'c.htm', 'd.htm', 'e.htm'],
        },
      },
    });

    it.each([
      ['reportDate "2025-9-27"', { reportDate: '2025-9-27' }],
      ['reportDate "20251231"', { reportDate: '20251231' }],
      ['reportDate "2025-02-30"', { reportDate: '2025-02-30' }],
      ['reportDate "2205-09-28" (FY2205)', { reportDate: '2205-09-28' }],
      ['reportDate "" and filingDate "2026/02/20"', { reportDate: '', filingDate: '2026/02/20' }],
      ['filingDate "2026-2-20"', { filingDate: '2026-2-20' }],
    ])('when it has %s, then it alone is left out and said why; the four good ones are selected', (_, odd) => {
      const skipped = noneSkipped<SkippedAnnualRow>();
      expect(annualFilings(listWith(odd), [], skipped).map((f) => f.accession)).toEqual(GOOD);
      expect(skipped).toEqual({
        count: 1,
        samples: [{ accession: '0000000001-26-000001', form: '10-K', reason: expect.any(String) }],
      });
      const selected = selectAnnualFilings(listWith(odd));
      expect(accessions(selected)).toEqual(GOOD);
      expect(selected.map((f) => SelectedFilingSchema.safeParse(f).success)).toEqual([true, true, true, true]);
    });

    it('when the same accession is listed again with good dates, then the filing is kept from that row', () => {
      const odd = listWith({ filingDate: '2026/02/20' }).filings.recent;
      const recent = {
        accessionNumber: ['0000000001-26-000001', ...odd.accessionNumber],
        filingDate: ['2026/02/20', '2026-02-20', ...odd.filingDate.slice(1)],
        reportDate: ['2025-12-31', ...odd.reportDate],
        form: ['10-K', ...odd.form],
        primaryDocument: ['a.htm', ...odd.primaryDocument],
      };
      const skipped = noneSkipped<SkippedAnnualRow>();
      const filings = annualFilings({ fiscalYearEnd: '1231', filings: { files: [], recent } }, [], skipped);
      expect(filings.map((f) => [f.accession, f.filingDate])).toEqual([
        ['0000000001-26-000001', '2026-02-20'],
        ...GOOD.map((accession, i) => [accession, `${2025 - i}-02-20`]),
      ]);
      expect(skipped.count).toBe(1);
    });

    it.each([
      ['1,200 characters long', `${'a'.repeat(1196)}.htm`],
      ['leaving the folder', '../../1318605/000162828025003063/tsla-20241231.htm'],
      ['naming another host', '//evil.example/x.htm'],
    ])('when its primaryDocument is %s, then the filing is kept with no primary document', (_, primaryDocument) => {
      const [newest] = selectAnnualFilings(listWith({ primaryDocument }));
      expect(newest).toMatchObject({ accession: '0000000001-26-000001', fiscalYear: 2025, primaryDocument: null });
      expect(SelectedFilingSchema.safeParse(newest).success).toBe(true);
    });
  });
});
