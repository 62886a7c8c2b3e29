import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FIXTURES_DIR } from '@symbology/edgar-mirror';

/**
 * Generates hostile EDGAR responses in EDGAR's exact layout (`<root>/<host>/<path>`), each case a
 * company of its own with one 10-K, all made from the repo's invented SYMB fixture (its FY2025
 * 10-K, its submissions and its companyfacts), so the mirror serves them beside the fixtures.
 */

const SOURCE_ACCESSION = '0009999999-26-000004';
const SOURCE_DOCUMENT = `www.sec.gov/Archives/edgar/data/9999999/${SOURCE_ACCESSION.replaceAll('-', '')}/symb-20251231.htm`;
/** A phrase of Item 1 in the source 10-K: hostile bytes go there, and no message may quote it. */
export const DOCUMENT_PHRASE = 'builds software that turns public company filings';

export type HostileCase = {
  ticker: string;
  /** What the case is, for the printed lines. */
  what: string;
  /** The primary document; the SYMB FY2025 10-K when omitted. */
  document?: Buffer;
  /** companyfacts as served; SYMB's, moved to this company's accession, when omitted. */
  companyfacts?: (clean: Buffer) => Buffer;
};

export type GeneratedCompany = HostileCase & { cik: string; accession: string; documentBytes: number };

export function sourceDocument(): Buffer {
  return readFileSync(join(FIXTURES_DIR, SOURCE_DOCUMENT));
}

/** The source 10-K with `bytes` put in place of the "bu" of DOCUMENT_PHRASE, inside Item 1. */
export function withBytesInItem1(bytes: Buffer): Buffer {
  const source = sourceDocument();
  const at = source.indexOf(DOCUMENT_PHRASE);
  return Buffer.concat([source.subarray(0, at), bytes, source.subarray(at + 2)]);
}

/** The source 10-K with `html` wrapped around the phrase of Item 1. */
export function wrapItem1Phrase(open: string, close: string): Buffer {
  const source = sourceDocument();
  const at = source.indexOf(DOCUMENT_PHRASE);
  const end = at + DOCUMENT_PHRASE.length;
  return Buffer.concat([
    source.subarray(0, at),
    Buffer.from(open),
    source.subarray(at, end),
    Buffer.from(close),
    source.subarray(end),
  ]);
}

/** A small seeded generator (mulberry32), so a "random" cut is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Writes every case under `root` (company_tickers.json, submissions, companyfacts, documents). */
export function writeHostileEdgar(
  root: string,
  cases: readonly HostileCase[],
  firstCik = 9_990_001,
): GeneratedCompany[] {
  const submissions = JSON.parse(
    readFileSync(join(FIXTURES_DIR, 'data.sec.gov/submissions/CIK0009999999.json'), 'utf8'),
  ) as {
    filings: { recent: Record<string, unknown[]> };
  } & Record<string, unknown>;
  const factsText = readFileSync(join(FIXTURES_DIR, 'data.sec.gov/api/xbrl/companyfacts/CIK0009999999.json'), 'utf8');
  const write = (path: string, body: Buffer | string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), body);
  };
  const tickers: Record<string, { cik_str: number; ticker: string; title: string }> = {};
  const companies = cases.map((c, i): GeneratedCompany => {
    const cikNumber = firstCik + i;
    const cik = String(cikNumber).padStart(10, '0');
    const accession = `${cik}-26-000001`;
    const name = `Fuzz ${c.ticker} Corp`;
    tickers[String(i)] = { cik_str: cikNumber, ticker: c.ticker, title: name };
    // Only the FY2025 10-K (the first row of SYMB's filings.recent), moved to this company.
    const recent = Object.fromEntries(
      Object.entries(submissions.filings.recent).map(([key, values]) => [key, values.slice(0, 1)]),
    );
    recent.accessionNumber = [accession];
    recent.primaryDocument = ['fuzz-20251231.htm'];
    write(
      `data.sec.gov/submissions/CIK${cik}.json`,
      JSON.stringify({
        ...submissions,
        cik,
        name,
        tickers: [c.ticker],
        exchanges: ['Nasdaq'],
        filings: { recent, files: [] },
      }),
    );
    const clean = Buffer.from(
      factsText
        .replaceAll(SOURCE_ACCESSION, accession)
        .replace('"cik":9999999', `"cik":${cikNumber}`)
        .replace('"entityName":"Symbology Test Corp"', `"entityName":${JSON.stringify(name)}`),
    );
    write(`data.sec.gov/api/xbrl/companyfacts/CIK${cik}.json`, c.companyfacts ? c.companyfacts(clean) : clean);
    const document = c.document ?? sourceDocument();
    write(`www.sec.gov/Archives/edgar/data/${cikNumber}/${accession.replaceAll('-', '')}/fuzz-20251231.htm`, document);
    return { ...c, cik, accession, documentBytes: document.length };
  });
  write('www.sec.gov/files/company_tickers.json', JSON.stringify(tickers));
  return companies;
}
