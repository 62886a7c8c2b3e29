import { STORED_TAXONOMIES, type CompanyFact, type CompanyFacts } from './company-facts-schema';

export type FilingFact = {
  taxonomy: string;
  concept: string;
  label: string | null;
  unit: string;
  /** The number as text, for a NUMERIC column; Postgres reads the exponent form JS uses for tiny values. */
  value: string;
  periodStart: string | null;
  periodEnd: string;
  /** "start/end" for durations, "end" for instants: a key without nullable parts. */
  period: string;
  fiscalYear: number | null;
  fiscalPeriod: string | null;
  form: string | null;
  frame: string | null;
};

/**
 * Groups companyfacts by the accession that reported each fact, in one pass: companyfacts is
 * megabytes, and a task looks up five accessions in it. A filing reports the same period more than
 * once only when SEC chose one copy for its frames API; that copy (with `frame`) is kept.
 */
export function indexFactsByAccession(companyFacts: CompanyFacts): Map<string, FilingFact[]> {
  return groupFacts(companyFacts);
}

/**
 * The index for the filings a task works on only, in the same one pass: what a worker thread sends
 * back is five filings' facts, not every filing the company ever made.
 */
export function factsOfAccessions(companyFacts: CompanyFacts, accessions: Iterable<string>): Map<string, FilingFact[]> {
  return groupFacts(companyFacts, new Set(accessions));
}

/** The facts of one filing; for several filings of one company, build the index once instead. */
export function factsForAccession(companyFacts: CompanyFacts, accession: string): FilingFact[] {
  return groupFacts(companyFacts, new Set([accession])).get(accession) ?? [];
}

function groupFacts(companyFacts: CompanyFacts, only?: ReadonlySet<string>): Map<string, FilingFact[]> {
  const byAccession = new Map<string, Map<string, FilingFact>>();
  for (const [taxonomy, concepts] of Object.entries(companyFacts.facts)) {
    if (!STORED_TAXONOMIES.has(taxonomy)) continue;
    for (const [concept, { label, units }] of Object.entries(concepts)) {
      for (const [unit, facts] of Object.entries(units)) {
        for (const fact of facts) {
          if (only !== undefined && !only.has(fact.accn)) continue;
          const row = toRow(taxonomy, concept, label ?? null, unit, fact);
          let rows = byAccession.get(fact.accn);
          if (!rows) byAccession.set(fact.accn, (rows = new Map()));
          const key = `${taxonomy}\u0000${concept}\u0000${unit}\u0000${row.period}`;
          const held = rows.get(key);
          if (!held || (!held.frame && row.frame)) rows.set(key, row);
        }
      }
    }
  }
  return new Map([...byAccession].map(([accession, rows]) => [accession, [...rows.values()]]));
}

function toRow(taxonomy: string, concept: string, label: string | null, unit: string, fact: CompanyFact): FilingFact {
  const periodStart = fact.start ?? null;
  return {
    taxonomy,
    concept,
    label,
    unit,
    value: String(fact.val),
    periodStart,
    periodEnd: fact.end,
    period: periodStart ? `${periodStart}/${fact.end}` : fact.end,
    fiscalYear: fact.fy ?? null,
    fiscalPeriod: fact.fp ?? null,
    form: fact.form ?? null,
    frame: fact.frame ?? null,
  };
}
