import { asc, eq } from 'drizzle-orm';
import type { Database } from '@symbology/db';
import { filingSections } from '@symbology/db/schema';

const ORDER = ['business', 'risk_factors', 'mdna'] as const;

/**
 * The text sections cut from one filing, in the order of the 10-K's items (1, 1A, 7). A report
 * filed jointly is one document, held by each registrant: any registrant's copy of a section is it.
 */
export async function readFilingSections(db: Database, accession: string) {
  const rows = await db
    .selectDistinctOn([filingSections.section])
    .from(filingSections)
    .where(eq(filingSections.accession, accession))
    .orderBy(asc(filingSections.section), asc(filingSections.cik));
  return rows
    .map((r) => ({ section: r.section, title: r.title, text: r.text, charCount: r.charCount }))
    .sort((a, b) => ORDER.indexOf(a.section) - ORDER.indexOf(b.section));
}
