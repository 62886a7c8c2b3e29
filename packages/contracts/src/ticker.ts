import { z } from 'zod';

/**
 * A US ticker as people type it: letters and digits, optionally a share-class suffix written
 * with a dot or a dash (`BRK.B`, `BRK-B`). Normalised to upper case with the dash form, which is
 * how SEC's company_tickers.json spells class shares.
 */
const TICKER_PATTERN = /^[A-Z][A-Z0-9]{0,9}(-[A-Z0-9]{1,4})?$/;

export function normalizeTicker(raw: string): string {
  return raw.trim().toUpperCase().replace(/[./]/g, '-');
}

export const TickerSchema = z
  .string()
  .transform(normalizeTicker)
  .pipe(
    z
      .string()
      .min(1, 'Enter a ticker symbol')
      .regex(TICKER_PATTERN, 'A ticker is 1-10 letters or digits, e.g. AAPL or BRK.B'),
  );
export type Ticker = z.output<typeof TickerSchema>;

/** The longest company-name or ticker search the API answers; the search box never sends more. */
export const SEARCH_QUERY_MAX_LENGTH = 60;
