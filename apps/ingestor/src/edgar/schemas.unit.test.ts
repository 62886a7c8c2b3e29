import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CompanyFactsSchema } from './company-facts-schema';
import { CompanyTickersSchema } from './company-tickers-schema';
import { FilingColumnsSchema, SubmissionsSchema } from './submissions-schema';
import { FIXTURES_DIR, SHARED_DIR, hasShared, readJson } from './test-data';

// Listed while the tests are collected, which happens even for a skipped describe: an absent
// recording lists nothing rather than failing the file.
const list = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);
const submissionFiles = (root: string) =>
  list(`${root}/data.sec.gov/submissions`).filter((f) => !f.includes('-submissions-'));
const pageFiles = (root: string) => list(`${root}/data.sec.gov/submissions`).filter((f) => f.includes('-submissions-'));
const factFiles = (root: string) => list(`${root}/data.sec.gov/api/xbrl/companyfacts`);

describe.skipIf(!hasShared)('schemas, given every recorded SEC response', () => {
  it.each(submissionFiles(SHARED_DIR))('when %s is parsed as submissions, then it passes', (file) => {
    const parsed = SubmissionsSchema.safeParse(readJson(SHARED_DIR, `data.sec.gov/submissions/${file}`));
    expect(parsed.error).toBeUndefined();
    expect(parsed.data?.cik).toBe(file.slice(3, 13));
  });

  it.each(pageFiles(SHARED_DIR))('when page %s is parsed, then its columns line up', (file) => {
    const parsed = FilingColumnsSchema.parse(readJson(SHARED_DIR, `data.sec.gov/submissions/${file}`));
    expect(parsed.accessionNumber.length).toBe(720);
  });

  it.each(factFiles(SHARED_DIR))('when companyfacts %s is parsed, then it passes', (file) => {
    const parsed = CompanyFactsSchema.safeParse(readJson(SHARED_DIR, `data.sec.gov/api/xbrl/companyfacts/${file}`));
    expect(parsed.error).toBeUndefined();
    expect(parsed.data?.cik).toBe(file.slice(3, 13));
  });

  it('when company_tickers.json is parsed, then every entry has a padded CIK and BRK-B is Berkshire', () => {
    const tickers = CompanyTickersSchema.parse(readJson(SHARED_DIR, 'www.sec.gov/files/company_tickers.json'));
    expect(tickers).toHaveLength(9610);
    expect(tickers.find((t) => t.ticker === 'BRK-B')).toEqual({
      cik: '0001067983',
      ticker: 'BRK-B',
      title: 'BERKSHIRE HATHAWAY INC',
    });
  });

  it('when Buffett (an individual) is parsed, then the absent profile fields are null, not ""', () => {
    const buffett = SubmissionsSchema.parse(readJson(SHARED_DIR, 'data.sec.gov/submissions/CIK0000315090.json'));
    expect(buffett).toMatchObject({ fiscalYearEnd: null, sic: null, sicDescription: null, tickers: [], exchanges: [] });
  });
});

describe('schemas, given the repo fixtures', () => {
  it.each(submissionFiles(FIXTURES_DIR))('when %s is parsed, then it passes', (file) => {
    expect(
      SubmissionsSchema.safeParse(readJson(FIXTURES_DIR, `data.sec.gov/submissions/${file}`)).error,
    ).toBeUndefined();
  });

  it.each(pageFiles(FIXTURES_DIR))('when page %s is parsed, then its columns line up', (file) => {
    const parsed = FilingColumnsSchema.parse(readJson(FIXTURES_DIR, `data.sec.gov/submissions/${file}`));
    expect(parsed.form.length).toBe(parsed.accessionNumber.length);
  });

  it.each(factFiles(FIXTURES_DIR))('when companyfacts %s is parsed, then it passes', (file) => {
    const parsed = CompanyFactsSchema.parse(readJson(FIXTURES_DIR, `data.sec.gov/api/xbrl/companyfacts/${file}`));
    expect(parsed.cik).toBe(file.slice(3, 13));
  });

  it('when the fixture tickers are parsed, then they pass', () => {
    expect(
      CompanyTickersSchema.parse(readJson(FIXTURES_DIR, 'www.sec.gov/files/company_tickers.json')).map((t) => t.ticker),
    ).toEqual(['SYMB', 'FLKY', 'NOAR', 'SYMB-B', 'NRTH', 'PGAP']);
  });
});

describe('SubmissionsSchema, given the variations of older captures', () => {
  const minimal = (overrides: Record<string, unknown>) => ({
    cik: '789019',
    name: 'MICROSOFT CORP',
    filings: { recent: { accessionNumber: ['0001564590-20-034944'], filingDate: ['2020-07-30'], form: ['10-K'] } },
    ...overrides,
  });

  it('when cik is an unpadded string or a number, then it comes out padded to ten digits', () => {
    expect(SubmissionsSchema.parse(minimal({})).cik).toBe('0000789019');
    expect(SubmissionsSchema.parse(minimal({ cik: 789019 })).cik).toBe('0000789019');
  });

  it('when optional profile fields and columns are missing, then it still parses with nulls and empty lists', () => {
    const parsed = SubmissionsSchema.parse(minimal({}));
    expect(parsed).toMatchObject({ tickers: [], exchanges: [], fiscalYearEnd: null, sic: null, entityType: null });
    expect(parsed.filings.files).toEqual([]);
  });

  it('when fiscalYearEnd is "" or nonsense, then it is null rather than a failure', () => {
    expect(SubmissionsSchema.parse(minimal({ fiscalYearEnd: '' })).fiscalYearEnd).toBeNull();
    expect(SubmissionsSchema.parse(minimal({ fiscalYearEnd: '1399' })).fiscalYearEnd).toBeNull();
  });

  it('when the parallel arrays have different lengths, then it is refused', () => {
    const broken = minimal({
      filings: { recent: { accessionNumber: ['a', 'b'], filingDate: ['2020-07-30'], form: ['10-K', '8-K'] } },
    });
    const result = SubmissionsSchema.safeParse(broken);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('has 1 entries, accessionNumber 2');
  });
});
