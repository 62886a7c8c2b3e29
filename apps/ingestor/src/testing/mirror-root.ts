import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FIXTURES_DIR } from '@symbology/edgar-mirror/test-data';

/** A throwaway mirror root, laid out by URL path like ../shared/edgar, for a test's own EDGAR answers. */
export type MirrorRoot = {
  dir: string;
  /** Writes `text` at `path` (`data.sec.gov/submissions/CIK….json`), creating its folders. */
  put(path: string, text: string): void;
  remove(): void;
};

export function mirrorRoot(prefix: string): MirrorRoot {
  const dir = mkdtempSync(join(tmpdir(), `symbology-${prefix}-`));
  return {
    dir,
    put: (path, text) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * The repo's fixture at `path`, served from `root` with each [from, to] replaced once (the mirror
 * reads it on every request, so a test may serve another edit later). An edit whose `from` the
 * fixture does not hold is an error: the test would otherwise serve the fixture undamaged.
 */
export function putFixtureEdited(root: MirrorRoot, path: string, ...edits: Array<[from: string, to: string]>): void {
  const edited = edits.reduce(
    (text, [from, to]) => {
      if (!text.includes(from)) throw new Error(`${path} holds no ${JSON.stringify(from)} to replace`);
      return text.replace(from, to);
    },
    readFileSync(join(FIXTURES_DIR, path), 'utf8'),
  );
  root.put(path, edited);
}

const SYMB_CIK = 9999999;

/**
 * SYMB's fixture companyfacts and 10-K documents, served as those of another company (`cik`,
 * `name`): its filings' facts and text without writing a second copy of the fixtures. `folders`
 * names the accession folders to serve (without dashes); all of SYMB's when omitted.
 */
export function serveSymbAs(root: MirrorRoot, company: { cik: number; name: string }, folders?: string[]): void {
  const padded = String(company.cik).padStart(10, '0');
  const facts = JSON.parse(
    readFileSync(join(FIXTURES_DIR, `data.sec.gov/api/xbrl/companyfacts/CIK000${SYMB_CIK}.json`), 'utf8'),
  ) as Record<string, unknown>;
  root.put(
    `data.sec.gov/api/xbrl/companyfacts/CIK${padded}.json`,
    JSON.stringify({ ...facts, cik: company.cik, entityName: company.name }),
  );
  const from = join(FIXTURES_DIR, `www.sec.gov/Archives/edgar/data/${SYMB_CIK}`);
  const to = join(root.dir, `www.sec.gov/Archives/edgar/data/${company.cik}`);
  if (!folders) cpSync(from, to, { recursive: true });
  for (const folder of folders ?? []) cpSync(join(from, folder), join(to, folder), { recursive: true });
}

/** SEC's ticker map as the mirror serves it: these entries, in this order. */
export function putTickerMap(
  root: MirrorRoot,
  entries: ReadonlyArray<{ cik: number; ticker: string; title: string }>,
): void {
  root.put(
    'www.sec.gov/files/company_tickers.json',
    JSON.stringify(
      Object.fromEntries(entries.map((e, i) => [i, { cik_str: e.cik, ticker: e.ticker, title: e.title }])),
    ),
  );
}

/** SYMB's fixture filing list, served as `company`'s (its CIK and name) listing `tickers`. */
export function listSymbAs(root: MirrorRoot, company: { cik: number; name: string }, tickers: string[]): void {
  const cik = String(company.cik).padStart(10, '0');
  const symb = JSON.parse(
    readFileSync(join(FIXTURES_DIR, `data.sec.gov/submissions/CIK000${SYMB_CIK}.json`), 'utf8'),
  ) as Record<string, unknown>;
  root.put(
    `data.sec.gov/submissions/CIK${cik}.json`,
    JSON.stringify({ ...symb, cik, name: company.name, tickers, exchanges: tickers.map(() => 'NYSE') }),
  );
}
