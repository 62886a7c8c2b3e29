import { z } from 'zod';
import { CikInputSchema } from './identifiers';

const TickerEntrySchema = z.object({
  cik_str: CikInputSchema,
  ticker: z.string().min(1),
  title: z.string(),
});

export type CompanyTicker = { cik: string; ticker: string; title: string };

/**
 * www.sec.gov/files/company_tickers.json: an object keyed "0".."N-1" (not an array), one entry per
 * ticker, so a company with several share classes appears several times. Key order is SEC's
 * (roughly by market value), which we keep because it is a good order for autocomplete.
 */
export const CompanyTickersSchema = z
  .record(z.string(), TickerEntrySchema)
  .transform((entries): CompanyTicker[] =>
    Object.values(entries).map((e) => ({ cik: e.cik_str, ticker: e.ticker, title: e.title })),
  );
