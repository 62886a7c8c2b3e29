import { z } from 'zod';
import { CikInputSchema } from './identifiers';

const FactSchema = z.object({
  /** Present for durations (revenue for a year), absent for instants (assets at year end). */
  start: z.string().optional(),
  end: z.string(),
  val: z.number(),
  accn: z.string(),
  fy: z.number().int().nullish(),
  fp: z.string().nullish(),
  form: z.string().nullish(),
  filed: z.string().nullish(),
  /** Only on the one fact per period that SEC picked for its calendar-aligned frames API. */
  frame: z.string().nullish(),
});
export type CompanyFact = z.infer<typeof FactSchema>;

const ConceptSchema = z.object({
  // Concepts outside the standard taxonomy (and most of TSM's ifrs-full) have no label.
  label: z.string().nullish(),
  description: z.string().nullish(),
  units: z.record(z.string(), z.array(FactSchema)),
});
export type CompanyConcept = z.infer<typeof ConceptSchema>;

/** data.sec.gov/api/xbrl/companyfacts/CIK##########.json: every XBRL fact the company ever filed. */
export const CompanyFactsSchema = z.object({
  cik: CikInputSchema,
  entityName: z.string(),
  facts: z.record(z.string(), z.record(z.string(), ConceptSchema)).default({}),
});
export type CompanyFacts = z.infer<typeof CompanyFactsSchema>;
