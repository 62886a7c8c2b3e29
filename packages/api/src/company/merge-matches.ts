import type { IngestedRow } from './search-ingested';
import type { TickerMapRow } from './search-ticker-map';

export type CompanyMatch = {
  cik: string;
  name: string;
  /** An ingested company's tickers, or the matching tickers of SEC's map, best first. */
  tickers: string[];
  /** Held by Symbology: its page opens at once. Otherwise choosing it starts an ingestion. */
  ingested: boolean;
};

/**
 * One suggestion per company (SEC lists one entry per share class: BRK-A and BRK-B are one
 * Berkshire), ingested companies first, each ticker at most once, at most `limit`. A map row whose
 * CIK is ingested stands for that company, even when only its class-share ticker matched.
 */
export function mergeMatches(
  ingested: readonly IngestedRow[],
  mapRows: readonly TickerMapRow[],
  limit: number,
): CompanyMatch[] {
  const held = new Map<string, CompanyMatch & { rank: number }>();
  for (const row of ingested)
    held.set(row.cik, { cik: row.cik, name: row.name, tickers: row.tickers, ingested: true, rank: row.rank });
  const others = new Map<string, CompanyMatch>();
  for (const row of mapRows) {
    if (row.company) {
      if (!held.has(row.cik)) held.set(row.cik, { cik: row.cik, ...row.company, ingested: true, rank: row.rank });
      continue;
    }
    const match = others.get(row.cik) ?? { cik: row.cik, name: row.title, tickers: [], ingested: false };
    match.tickers.push(row.ticker);
    others.set(row.cik, match);
  }
  const heldSorted = [...held.values()].sort((a, b) => a.rank - b.rank).map(({ rank: _rank, ...match }) => match);
  const taken = new Set(heldSorted.flatMap((m) => m.tickers));
  const rest = [...others.values()]
    .map((m) => ({ ...m, tickers: m.tickers.filter((t) => !taken.has(t)) }))
    .filter((m) => m.tickers.length > 0);
  return [...heldSorted, ...rest].slice(0, limit);
}
