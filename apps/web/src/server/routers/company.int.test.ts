import { companies, filings, filingSections, financialFacts } from '@symbology/db/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../test-support/test-system';
import { createContext, type Services } from '../context';
import { createCaller } from '../root';
import { closeServices, createServices } from '../services';

let system: TestSystem;
let services: Services;
const caller = () => createCaller(createContext(services, 'reader', undefined));
const CIK = '0000320193';
const acc = (year: number) => `0000320193-${String(year).slice(2)}-000100`;

beforeAll(async () => {
  system = await startTestSystem();
  services = await createServices(system.env());
  const { db } = system;
  await db.insert(companies).values({ cik: CIK, name: 'Apple Inc.', tickers: ['AAPL'], exchanges: ['Nasdaq'], sic: '3571', sicDescription: 'Electronic Computers', fiscalYearEnd: '0926' });
  for (const year of [2020, 2021, 2022, 2023, 2024, 2025]) {
    const reportDate = `${year}-09-26`;
    await db.insert(filings).values({ accession: acc(year), cik: CIK, form: '10-K', fiscalYear: year, reportDate, filingDate: `${year}-11-01`, primaryDocument: 'a.htm', primaryDocumentUrl: 'https://www.sec.gov/a.htm' });
    const fact = (concept: string, value: number, periodStart: string | null) => ({
      accession: acc(year), cik: CIK, taxonomy: 'us-gaap', concept, unit: 'USD', period: periodStart ? `${periodStart}/${reportDate}` : reportDate,
      periodStart, periodEnd: reportDate, value: String(value), fiscalYear: year, fiscalPeriod: 'FY', form: '10-K',
    });
    await db.insert(financialFacts).values([
      fact(year < 2022 ? 'SalesRevenueNet' : 'RevenueFromContractWithCustomerExcludingAssessedTax', year * 1000, `${year - 1}-09-27`),
      fact('NetIncomeLoss', year, `${year - 1}-09-27`),
      fact('Assets', year * 10, null),
    ]);
  }
  await db.insert(filingSections).values([
    { accession: acc(2025), section: 'mdna', title: "Item 7. Management's Discussion", text: 'MD&A text', charCount: 9 },
    { accession: acc(2025), section: 'business', title: 'Item 1. Business', text: 'We make things.', charCount: 15 },
  ]);
});
afterAll(async () => {
  if (services) await closeServices(services);
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
  });

  it('byTicker answers null for a company not ingested', async () => {
    await expect(caller().company.byTicker({ ticker: 'ZZZZ' })).resolves.toBeNull();
  });

  it('search matches ticker and name prefixes', async () => {
    await expect(caller().company.search({ query: 'aa' })).resolves.toEqual([{ cik: CIK, name: 'Apple Inc.', tickers: ['AAPL'] }]);
    await expect(caller().company.search({ query: 'appl' })).resolves.toHaveLength(1);
    await expect(caller().company.search({ query: '%' })).resolves.toEqual([]);
  });

  it('filing.sections returns the text in item order', async () => {
    const sections = await caller().filing.sections({ accession: acc(2025) });
    expect(sections.map((s) => s.section)).toEqual(['business', 'mdna']);
    expect(sections[0]?.text).toBe('We make things.');
  });
});
