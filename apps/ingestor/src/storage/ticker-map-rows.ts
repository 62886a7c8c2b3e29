import { createHash } from 'node:crypto';
import { normalizeTicker } from '@symbology/contracts';
import type { CompanyTicker } from '../edgar/company-tickers-schema';

export type TickerMapRow = { ticker: string; cik: string; title: string; secOrder: number };

/**
 * The rows of `edgar_tickers` for one copy of company_tickers.json: tickers in the form the web
 * app searches (`BRK-B`), the first entry winning if SEC ever lists a ticker twice (the table's key).
 */
export function tickerMapRows(entries: readonly CompanyTicker[]): TickerMapRow[] {
  const rows = new Map<string, TickerMapRow>();
  for (const [secOrder, entry] of entries.entries()) {
    const ticker = normalizeTicker(entry.ticker);
    if (!rows.has(ticker)) rows.set(ticker, { ticker, cik: entry.cik, title: entry.title.trim(), secOrder });
  }
  return [...rows.values()];
}

/** Identifies the content, so a daily download of an unchanged file costs no database work. */
export function tickerMapHash(rows: readonly TickerMapRow[]): string {
  const hash = createHash('sha256');
  for (const r of rows) hash.update(`${r.ticker}\t${r.cik}\t${r.title}\t${r.secOrder}\n`);
  return hash.digest('hex');
}
