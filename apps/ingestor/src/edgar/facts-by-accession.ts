import { STORED_TAXONOMIES, type CompanyFact, type CompanyFacts } from './company-facts-schema';
import { storableText } from './extraction/storable-text';

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
          // The row's own (storable) names: two that differ only in what storableText drops are one key to Postgres.
          const key = `${taxonomy}\u0000${row.concept}\u0000${row.unit}\u0000${row.period}`;
          const held = rows.get(key);
          if (!held || (!held.frame && row.frame)) rows.set(key, row);
        }
      }
    }
  }
  return new Map([...byAccession].map(([accession, rows]) => [accession, [...rows.values()]]));
}

/**
 * A fact as a row Postgres takes: EDGAR's strings lose NUL, the other C0 controls and lone surrogates
 * (storableText), as the text sections do. Stored as given, a NUL (SQLSTATE 22021) would cost the
 * filing every fact, and two names differing only in a lone surrogate (both written as U+FFFD) would
 * be one key twice in a statement (21000), which fails the task on every delivery.
 */
function toRow(taxonomy: string, concept: string, label: string | null, unit: string, fact: CompanyFact): FilingFact {
  const periodStart = fact.start ?? null;
  const text = (value: string | null | undefined) => (value == null ? null : storableText(value));
  return {
    taxonomy,
    concept: storableText(concept),
    label: text(label),
    unit: storableText(unit),
    value: String(fact.val),
    periodStart,
    periodEnd: fact.end,
    period: periodStart ? `${periodStart}/${fact.end}` : fact.end,
    fiscalYear: fact.fy ?? null,
    fiscalPeriod: text(fact.fp),
    form: text(fact.form),
    frame: text(fact.frame),
  };
}
