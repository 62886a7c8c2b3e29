import { z } from 'zod';

/**
 * A CIK as EDGAR writes it in different places: a JSON number in company_tickers.json and
 * companyfacts, a padded string in 2026 submissions, an unpadded string in older captures.
 * Always comes out padded to ten digits, the form data.sec.gov URLs and our contracts use.
 */
export const CikInputSchema = z
  .union([
    z
      .string()
      .trim()
      .regex(/^\d{1,10}$/, 'CIK of 1-10 digits'),
    z.number().int().min(0).max(9_999_999_999),
  ])
  .transform((cik) => String(cik).padStart(10, '0'));

export function padCik(cik: string | number): string {
  const parsed = CikInputSchema.safeParse(cik);
  if (!parsed.success) throw new RangeError(`not a CIK: ${JSON.stringify(cik)}`);
  return parsed.data;
}

/** Archive paths use the CIK without leading zeros: /Archives/edgar/data/320193/... */
export function unpaddedCik(cik: string | number): string {
  return String(Number(padCik(cik)));
}

/** 0000320193-24-000123 -> 000032019324000123, the archive folder name. */
export function accessionFolder(accession: string): string {
  return accession.replace(/-/g, '');
}
