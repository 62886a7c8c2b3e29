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

/**
 * The share-class ticker a text spells with a space for the separator (`BRK B` -> `BRK-B`), if it
 * does. Only Enter asks for it: while one types, "Ford Mo" is the start of a name.
 */
export function shareClassTicker(text: string): string | undefined {
  const spaced = /^([A-Za-z][A-Za-z0-9]{0,9}) ([A-Za-z0-9]{1,4})$/.exec(text.trim());
  return spaced ? asTicker(`${spaced[1]}-${spaced[2]}`) : undefined;
}

export type Pick =
  | { kind: 'match'; match: Match; ticker: string }
  /** Nothing matches: say so. `ticker` is set when the text is a valid ticker one may ask EDGAR for anyway. */
  | { kind: 'none'; ticker: string | undefined };

/**
 * What Enter means for the typed text and the suggestions for exactly that text (and for its
 * share-class spelling, `BRK B` -> `BRK-B`): the company whose ticker is the text, else the top suggestion ("tesla" -> TSLA). Nothing matching is said, never
 * guessed into an ingestion of a ticker nobody lists.
 */
export function pickMatch(text: string, matches: readonly Match[]): Pick {
  const spellings = [normalizeTicker(text), shareClassTicker(text)].filter((t) => t !== undefined);
  for (const typed of spellings) {
    const exact = matches.find((m) => m.tickers.includes(typed));
    if (exact) return { kind: 'match', match: exact, ticker: typed };
  }
  const top = matches.find((m) => m.tickers.length > 0);
  if (top) return { kind: 'match', match: top, ticker: top.tickers[0]! };
  return { kind: 'none', ticker: asTicker(text) ?? shareClassTicker(text) };
}

/**
 * What the box offers when Enter found nothing but the text is a valid ticker. The search cannot
 * tell an empty ticker list from one without this ticker, so it says only what it knows.
 */
export function askAnywayWords(ticker: string): { reason: string; action: string } {
  return { reason: `SEC's ticker list has no ${ticker}.`, action: `Ask EDGAR for ${ticker} anyway` };
}
