import type { AnnualForm } from '@symbology/contracts';

/**
 * Original annual reports, by the form we record them under. 10-K405 (used until 2003) is a 10-K
 * with one cover box ticked, so it counts as a 10-K. Left out on purpose: amendments (10-K/A,
 * 20-F/A, 40-F/A), which restate or add to an original and never replace it; 10-KT transition
 * reports, which cover the stub months of a change of year end, not a fiscal year; and 10-KSB,
 * whose items are numbered differently (MD&A is Item 6), so its sections would be mislabelled.
 */
const ANNUAL_FORMS: ReadonlyMap<string, AnnualForm> = new Map([
  ['10-K', '10-K'],
  ['10-K405', '10-K'],
  ['20-F', '20-F'],
  ['40-F', '40-F'],
]);

export function annualFormOf(form: string): AnnualForm | undefined {
  return ANNUAL_FORMS.get(form.trim().toUpperCase());
}
