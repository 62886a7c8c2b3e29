import { z } from 'zod';
import { isCalendarDate } from './calendar-date';
import { CikInputSchema } from './identifiers';
import { noneSkipped, noteSkipped, type SkippedEntries } from './skipped-entries';

/**
 * The taxonomies whose facts are stored. Company-specific extensions and SEC's odds and ends
 * (ecd, ffd, srt) are neither stored nor validated: their shape cannot cost anything.
 */
export const STORED_TAXONOMIES: ReadonlySet<string> = new Set(['us-gaap', 'ifrs-full', 'dei']);

/** One fact's shape, checked for the fields that are stored (`filed` and the like are not read). */
const FactShapeSchema = z.object({
  /** Present for durations (revenue for a year), absent for instants (assets at year end). */
  start: z.string().optional(),
  end: z.string(),
  val: z.number(),
  accn: z.string(),
  /** Within a Postgres integer: past it, storing it would fail the filing's whole facts transaction. */
  fy: z
    .number()
    .int()
    .min(-(2 ** 31))
    .max(2 ** 31 - 1)
    .nullish(),
  fp: z.string().nullish(),
  form: z.string().nullish(),
  /** Only on the one fact per period that SEC picked for its calendar-aligned frames API. */
  frame: z.string().nullish(),
});
/**
 * A period's start or end must be a day that exists: one Postgres refuses would fail the filing's
 * whole facts transaction, so it is checked here and costs only its own fact.
 */
const FactDate = z.string().refine(isCalendarDate, { message: 'not a calendar date (YYYY-MM-DD)' });
const FactSchema = FactShapeSchema.extend({ start: FactDate.optional(), end: FactDate });
export type CompanyFact = z.infer<typeof FactSchema>;

// Concepts outside the standard taxonomy (and most of TSM's ifrs-full) have no label.
const Label = z.string().nullish();
/**
 * The usual case, a concept without a flaw, checked in one call; then its dates in a plain loop
 * (`datesExist`), which costs less than a zod refinement on each of the document's dates.
 */
const ConceptSchema = z.object({ label: Label, units: z.record(z.string(), z.array(FactShapeSchema)) });
/** A concept with some flaw, unwrapped one level at a time so that only the flawed entry is left out. */
const ConceptShellSchema = z.object({ label: Label, units: z.record(z.string(), z.unknown()) });
const EntriesSchema = z.record(z.string(), z.unknown());
const EntryListSchema = z.array(z.unknown());
export type CompanyConcept = z.infer<typeof ConceptSchema>;

/**
 * data.sec.gov/api/xbrl/companyfacts/CIK##########.json: every XBRL fact the company ever filed.
 * Only the document's own shape (an object with `cik`, `entityName` and a `facts` object) can fail
 * it as a whole; within the stored taxonomies an entry of the wrong shape is left out and counted
 * in `skipped`, and the rest of the facts are kept.
 */
export const CompanyFactsSchema = z
  .object({
    cik: CikInputSchema,
    entityName: z.string(),
    facts: EntriesSchema,
  })
  .transform(({ cik, entityName, facts }) => {
    const skipped = noneSkipped();
    return { cik, entityName, facts: storedFacts(facts, skipped), skipped };
  });
export type CompanyFacts = z.infer<typeof CompanyFactsSchema>;

function storedFacts(
  facts: Record<string, unknown>,
  skipped: SkippedEntries,
): Record<string, Record<string, CompanyConcept>> {
  const out: Record<string, Record<string, CompanyConcept>> = {};
  for (const [taxonomy, value] of Object.entries(facts)) {
    if (!STORED_TAXONOMIES.has(taxonomy)) continue;
    const concepts = EntriesSchema.safeParse(value);
    if (!concepts.success) {
      skip(skipped, [taxonomy], concepts.error);
      continue;
    }
    const kept: Record<string, CompanyConcept> = {};
    for (const [concept, entry] of Object.entries(concepts.data)) {
      const read = readConcept(entry, [taxonomy, concept], skipped);
      if (read) kept[concept] = read;
    }
    out[taxonomy] = kept;
  }
  return out;
}

function readConcept(entry: unknown, path: string[], skipped: SkippedEntries): CompanyConcept | undefined {
  const whole = ConceptSchema.safeParse(entry);
  if (whole.success && datesExist(whole.data)) return whole.data;
  const shell = ConceptShellSchema.safeParse(entry);
  if (!shell.success) {
    skip(skipped, path, shell.error);
    return undefined;
  }
  const units: Record<string, CompanyFact[]> = {};
  for (const [unit, list] of Object.entries(shell.data.units)) {
    const facts = EntryListSchema.safeParse(list);
    if (!facts.success) {
      skip(skipped, [...path, 'units', unit], facts.error);
      continue;
    }
    units[unit] = facts.data.flatMap((fact, i) => {
      const parsed = FactSchema.safeParse(fact);
      if (parsed.success) return [parsed.data];
      skip(skipped, [...path, 'units', unit, String(i)], parsed.error);
      return [];
    });
  }
  return { label: shell.data.label, units };
}

function datesExist(concept: CompanyConcept): boolean {
  for (const unit in concept.units) {
    for (const { start, end } of concept.units[unit]!) {
      if (!isCalendarDate(end) || (start !== undefined && !isCalendarDate(start))) return false;
    }
  }
  return true;
}

/** A fact, a unit, a concept or a taxonomy left out, sampled as where it is and what is wrong with it. */
function skip(skipped: SkippedEntries, path: string[], error: z.ZodError): void {
  const [issue] = error.issues;
  const where = [...path, ...(issue?.path ?? []).map(String)].join('.');
  noteSkipped(skipped, `${where}: ${issue?.message ?? 'unexpected shape'}`);
}
