import { readFile } from 'node:fs/promises';

export function isCompanyTickersPath(urlPath: string): boolean {
  return urlPath.endsWith('/files/company_tickers.json');
}

/**
 * company_tickers.json is the one file every root has its own copy of (SEC's, and the fictional
 * companies of the repo fixtures). Serving only the first would hide the others' tickers, so the
 * mirror joins them into one object keyed "0".."N-1", as SEC writes it; a ticker already listed
 * by an earlier root is not repeated.
 */
export async function mergeCompanyTickers(files: readonly string[]): Promise<Buffer> {
  const merged: Record<string, unknown> = {};
  const tickers = new Set<string>();
  let next = 0;
  for (const file of files) {
    const entries = JSON.parse(await readFile(file, 'utf8')) as Record<string, { ticker?: unknown }>;
    for (const entry of Object.values(entries)) {
      const ticker = String(entry.ticker);
      if (tickers.has(ticker)) continue;
      tickers.add(ticker);
      merged[String(next++)] = entry;
    }
  }
  return Buffer.from(JSON.stringify(merged));
}
