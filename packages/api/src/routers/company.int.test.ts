import { companies, edgarTickers, filings, filingSections, financialFacts } from '@symbology/db/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type ApiServices } from '../context';
import { createCaller } from '../root';
import { startTestSystem, type TestSystem } from '../testing/test-system';

let system: TestSystem;
let services: ApiServices;
const caller = () => createCaller(createContext(services, { clientId: 'reader', peer: undefined }));
const CIK = '0000320193';
const BERKSHIRE = '0001067983';
const acc = (year: number) => `0000320193-${String(year).slice(2)}-000100`;

beforeAll(async () => {
  system = await startTestSystem();
  services = await system.services();
  const { db } = system;
  await db.insert(companies).values({
    cik: CIK,
    name: 'Apple Inc.',
    tickers: ['AAPL'],
    exchanges: ['Nasdaq'],
    sic: '3571',
    sicDescription: 'Electronic Computers',
    fiscalYearEnd: '0926',
  });
  for (const year of [2020, 2021, 2022, 2023, 2024, 2025]) {
    const reportDate = `${year}-09-26`;
    await db.insert(filings).values({
      accession: acc(year),
      cik: CIK,
      form: '10-K',
      fiscalYear: year,
      reportDate,
      filingDate: `${year}-11-01`,
      primaryDocument: 'a.htm',
      primaryDocumentUrl: 'https://www.sec.gov/a.htm',
    });
    const fact = (concept: string, value: number, periodStart: string | null) => ({
      accession: acc(year),
      cik: CIK,
      taxonomy: 'us-gaap',
      concept,
      unit: 'USD',
      period: periodStart ? `${periodStart}/${reportDate}` : reportDate,
      periodStart,
      periodEnd: reportDate,
      value: String(value),
      fiscalYear: year,
      fiscalPeriod: 'FY',
      form: '10-K',
    });
    await db
      .insert(financialFacts)
      .values([
        fact(
          year < 2022 ? 'SalesRevenueNet' : 'RevenueFromContractWithCustomerExcludingAssessedTax',
          year * 1000,
          `${year - 1}-09-27`,
        ),
        fact('NetIncomeLoss', year, `${year - 1}-09-27`),
        fact('Assets', year * 10, null),
      ]);
  }
  // SEC's ticker map as the ingestor stores it: normalised tickers, SEC's order (by market value).
  const map: Array<[ticker: string, cik: string, title: string]> = [
    ['AAPL', CIK, 'Apple Inc.'],
    ['BRK-B', BERKSHIRE, 'Berkshire Hathaway Inc'],
    ['BRK-A', BERKSHIRE, 'Berkshire Hathaway Inc'],
    ['A', '0001090872', 'Agilent Technologies, Inc.'],
    ['AA', '0001675149', 'Alcoa Corp'],
    ['APLE', '0001418121', 'Apple Hospitality REIT, Inc.'],
    ['AAPX', '0000000042', 'Aapex Widgets'],
  ];
  await db.insert(edgarTickers).values(map.map(([ticker, cik, title], secOrder) => ({ ticker, cik, title, secOrder })));
  await db.insert(filingSections).values([
    {
      cik: CIK,
      accession: acc(2025),
      section: 'mdna',
      title: "Item 7. Management's Discussion",
      text: 'MD&A text',
      charCount: 9,
    },
    {
      cik: CIK,
      accession: acc(2025),
      section: 'business',
      title: 'Item 1. Business',
      text: 'We make things.',
      charCount: 15,
    },
  ]);
});
afterAll(async () => {
  await system?.stop();
});

describe('company and filing procedures through createCaller', () => {
  it('byTicker gives the profile, the five newest filings, key facts per year and the sections', async () => {
    const page = await caller().company.byTicker({ ticker: 'aapl' });
    expect(page?.profile).toMatchObject({ cik: CIK, name: 'Apple Inc.', sic: '3571', fiscalYearEnd: '0926' });
    expect(page?.filings.map((f) => f.fiscalYear)).toEqual([2025, 2024, 2023, 2022, 2021]);
    const fy2021 = page?.keyFacts.find((y) => y.fiscalYear === 2021);
    expect(fy2021?.revenue).toEqual({ value: 2021000, concept: 'SalesRevenueNet', unit: 'USD' });
    expect(fy2021?.operatingCashFlow).toBeNull();
    expect(page?.sections.map((s) => s.section).sort()).toEqual(['business', 'mdna']);
    // SEC's own address, built from CIK, accession and document; no extra link when it was read from SEC.
    expect(page?.filings[0]).toMatchObject({
      documentUrl: 'https://www.sec.gov/Archives/edgar/data/320193/000032019325000100/a.htm',
      localCopyUrl: null,
    });
  });

  it('byTicker leaves out of the key facts a year whose report holds none yet (listed before its XBRL data)', async () => {
    const cik = '0000999001';
    const { db } = system;
    await db.insert(companies).values({ cik, name: 'Newly Listed Corp', tickers: ['NWLY'], exchanges: ['Nasdaq'] });
    for (const year of [2024, 2025]) {
      await db.insert(filings).values({
        accession: `${cik}-${String(year).slice(2)}-000001`,
        cik,
        form: '10-K',
        fiscalYear: year,
        reportDate: `${year}-12-31`,
        filingDate: `${year + 1}-02-01`,
        primaryDocument: 'n.htm',
        primaryDocumentUrl: 'https://www.sec.gov/n.htm',
      });
    }
    await db.insert(financialFacts).values({
      accession: `${cik}-24-000001`,
      cik,
      taxonomy: 'us-gaap',
      concept: 'NetIncomeLoss',
      unit: 'USD',
      period: '2024-01-01/2024-12-31',
      periodStart: '2024-01-01',
      periodEnd: '2024-12-31',
      value: '42',
      fiscalYear: 2024,
      fiscalPeriod: 'FY',
      form: '10-K',
    });
    const page = await caller().company.byTicker({ ticker: 'NWLY' });
    expect(page?.filings.map((f) => f.fiscalYear)).toEqual([2025, 2024]);
    expect(page?.keyFacts.map((y) => y.fiscalYear)).toEqual([2024]);
  });

  it('byTicker answers null for a company not ingested', async () => {
    await expect(caller().company.byTicker({ ticker: 'ZZZZ' })).resolves.toBeNull();
  });

  it('search matches ticker and name prefixes, ingested companies first and marked', async () => {
    const aa = await caller().company.search({ query: 'aa' });
    expect(aa[0]).toEqual({ cik: CIK, name: 'Apple Inc.', tickers: ['AAPL'], ingested: true });
    // Then the ticker map: the exact ticker, then shorter tickers; AAPL is not listed a second time.
    expect(aa.slice(1).map((m) => [m.tickers, m.ingested])).toEqual([
      [['AA'], false],
      [['AAPX'], false],
    ]);
    const apple = await caller().company.search({ query: 'appl' });
    expect(apple.map((m) => [m.name, m.ingested])).toEqual([
      ['Apple Inc.', true],
      ['Apple Hospitality REIT, Inc.', false],
    ]);
    await expect(caller().company.search({ query: '%' })).resolves.toEqual([]);
  });

  it('search finds a company not ingested from the ticker map, whatever the class-share spelling', async () => {
    await expect(caller().company.search({ query: 'brk.b' })).resolves.toEqual([
      { cik: BERKSHIRE, name: 'Berkshire Hathaway Inc', tickers: ['BRK-B'], ingested: false },
    ]);
    // Both share classes are one company; by a later word of its name too.
    await expect(caller().company.search({ query: 'hathaway' })).resolves.toEqual([
      { cik: BERKSHIRE, name: 'Berkshire Hathaway Inc', tickers: ['BRK-B', 'BRK-A'], ingested: false },
    ]);
    const hospitality = await caller().company.search({ query: 'Hospitality' });
    expect(hospitality.map((m) => m.tickers)).toEqual([['APLE']]);
  });

  it('search ranks an exact ticker first and stops at the limit', async () => {
    const a = await caller().company.search({ query: 'A', limit: 3 });
    expect(a.map((m) => [m.tickers[0], m.ingested])).toEqual([
      ['AAPL', true],
      ['A', false],
      ['AA', false],
    ]);
  });

  it('filing.sections returns the text in item order', async () => {
    const sections = await caller().filing.sections({ accession: acc(2025) });
    expect(sections.map((s) => s.section)).toEqual(['business', 'mdna']);
    expect(sections[0]?.text).toBe('We make things.');
  });
});
