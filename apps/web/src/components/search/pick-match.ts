import { normalizeTicker, SEARCH_QUERY_MAX_LENGTH, TickerSchema } from '@symbology/contracts';
import type { RouterOutputs } from '@symbology/api';

export type Match = RouterOutputs['company']['search'][number];

/**
 * What the autocomplete may send for this text, or undefined when it should not ask at all (the
 * API refuses a query longer than SEARCH_QUERY_MAX_LENGTH).
 */
export function searchQuery(text: string): string | undefined {
  const query = text.trim();
  return query.length > 0 && query.length <= SEARCH_QUERY_MAX_LENGTH ? query : undefined;
}

/** The ticker this text spells, if it is a valid one (`brk.b` -> `BRK-B`). */
export function asTicker(text: string): string | undefined {
  const parsed = TickerSchema.safeParse(text);
  return parsed.success ? parsed.data : undefined;
}

export type Pick =
  | { kind: 'match'; match: Match; ticker: string }
  /** Nothing matches: say so. `ticker` is set when the text is a valid ticker one may ask EDGAR for anyway. */
  | { kind: 'none'; ticker: string | undefined };

/**
 * What Enter means for the typed text and the suggestions for exactly that text: the company whose
 * ticker is the text, else the top suggestion ("tesla" -> TSLA). Nothing matching is said, never
 * guessed into an ingestion of a ticker nobody lists.
 */
export function pickMatch(text: string, matches: readonly Match[]): Pick {
  const typed = normalizeTicker(text);
  const exact = matches.find((m) => m.tickers.includes(typed));
  if (exact) return { kind: 'match', match: exact, ticker: typed };
  const top = matches.find((m) => m.tickers.length > 0);
  if (top) return { kind: 'match', match: top, ticker: top.tickers[0]! };
  return { kind: 'none', ticker: asTicker(text) };
}
