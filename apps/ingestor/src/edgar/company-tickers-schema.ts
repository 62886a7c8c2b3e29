import { z } from 'zod';
import { storableText } from './extraction/storable-text';
import { CikInputSchema } from './identifiers';
import { noneSkipped, noteSkipped, type SkippedEntries } from './skipped-entries';

/**
 * Text as Postgres holds it (storableText): a NUL would have the whole map refused (SQLSTATE 22021)
 * on every refresh, and two tickers differing only in a lone surrogate would be one key there.
 */
const Text = z.string().transform(storableText);

const TickerEntrySchema = z.object({
  cik_str: CikInputSchema,
  ticker: Text.pipe(z.string().trim().min(1)),
  title: Text,
});

export type CompanyTicker = { cik: string; ticker: string; title: string };

/** A copy of the map, and how many of its entries were left out for not being usable. */
export type CompanyTickers = {
  entries: CompanyTicker[];
  skipped: SkippedEntries<unknown>;
};

/**
 * www.sec.gov/files/company_tickers.json: an object keyed "0".."N-1" (not an array), one entry per
 * ticker, so a company with several share classes appears several times. Key order is SEC's
 * (roughly by market value), which we keep because it is a good order for autocomplete. Entries are
 * read one by one: an odd one (ticker "", cik_str null) is left out and counted, not a reason to
 * refuse the other ten thousand; a map with none usable is refused.
 */
export const CompanyTickerMapSchema = z.record(z.string(), z.unknown()).transform((raw, ctx): CompanyTickers => {
  const result: CompanyTickers = { entries: [], skipped: noneSkipped() };
  for (const value of Object.values(raw)) {
    const entry = TickerEntrySchema.safeParse(value);
    if (entry.success) {
      result.entries.push({ cik: entry.data.cik_str, ticker: entry.data.ticker, title: entry.data.title });
    } else noteSkipped(result.skipped, value);
  }
  if (result.entries.length === 0 && result.skipped.count > 0) {
    ctx.addIssue({ code: 'custom', message: `none of its ${result.skipped.count} entries is a ticker with a CIK` });
    return z.NEVER;
  }
  return result;
});

/** The usable entries alone (tests, tools); the client reads CompanyTickerMapSchema to log the skipped. */
export const CompanyTickersSchema = CompanyTickerMapSchema.transform((map) => map.entries);
