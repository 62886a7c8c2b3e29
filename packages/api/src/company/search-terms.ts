import { normalizeTicker } from '@symbology/contracts';

/** LIKE patterns for one autocomplete query; the database escape character is the default `\`. */
export type SearchTerms = {
  /** The query as a ticker (`brk.b` -> `BRK-B`), for the exact-match rank. */
  ticker: string;
  /** `BRK-B%`: tickers are stored upper case, dash form. */
  tickerLike: string;
  /** `berkshire h%` against lower(name). */
  titleLike: string;
  /** `% hathaway%`: the query starting any later word of the name. */
  wordLike: string;
};

/** Escapes LIKE wildcards so that a user's `%` or `_` matches itself. */
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function searchTerms(query: string): SearchTerms {
  const trimmed = query.trim();
  const ticker = normalizeTicker(trimmed);
  const title = escapeLike(trimmed.toLowerCase());
  return { ticker, tickerLike: `${escapeLike(ticker)}%`, titleLike: `${title}%`, wordLike: `% ${title}%` };
}
