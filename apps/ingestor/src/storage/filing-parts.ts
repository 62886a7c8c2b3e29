import { and, eq, sql } from 'drizzle-orm';
import type { FilingPart } from '@symbology/contracts';
import { filingParts, type Database } from '@symbology/db';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/** A filing as one company holds it: a report filed jointly is held by each registrant apart. */
export type HeldFiling = { cik: string; accession: string };

export type PartStatus = 'stored' | 'missing' | 'not_offered';

/** One row of filing_parts: what one part of a filing holds, and why not when it does not. */
export type PartRecord = {
  part: FilingPart;
  status: PartStatus;
  code: string | null;
  message: string | null;
  retryable: boolean;
  /** Facts stored for `facts`, characters for a section. */
  size: number;
};

/** The record of a part whose rows are stored: `size` facts, or characters of a section. */
export function storedPart(part: FilingPart, size: number): PartRecord {
  return { part, status: 'stored', code: null, message: null, retryable: false, size };
}

/**
 * Records what each part holds. A part already stored is never marked missing again by a later
 * task that could not fetch it (its rows are still there); a rerun with the same outcome writes
 * nothing, and `task_id` names the task that last changed the row.
 */
export async function recordParts(
  db: Database | Tx,
  filing: HeldFiling,
  taskId: string,
  records: readonly PartRecord[],
): Promise<void> {
  if (records.length === 0) return;
  await db
    .insert(filingParts)
    .values(records.map((r) => ({ cik: filing.cik, accession: filing.accession, taskId, ...r })))
    .onConflictDoUpdate({
      target: [filingParts.cik, filingParts.accession, filingParts.part],
      set: {
        status: sql.raw('excluded."status"'),
        code: sql.raw('excluded."code"'),
        message: sql.raw('excluded."message"'),
        retryable: sql.raw('excluded."retryable"'),
        size: sql.raw('excluded."size"'),
        taskId: sql.raw('excluded."task_id"'),
        updatedAt: sql`now()`,
      },
      setWhere: sql.raw(
        `("filing_parts"."status", "filing_parts"."code", "filing_parts"."message", "filing_parts"."retryable", "filing_parts"."size")` +
          ` is distinct from (excluded."status", excluded."code", excluded."message", excluded."retryable", excluded."size")` +
          ` and ("filing_parts"."status" <> 'stored' or excluded."status" = 'stored')`,
      ),
    });
}

/** What each part of one company's filing holds now, whichever task stored it. */
export async function readParts(db: Database, filing: HeldFiling): Promise<PartRecord[]> {
  return db
    .select({
      part: filingParts.part,
      status: filingParts.status,
      code: filingParts.code,
      message: filingParts.message,
      retryable: filingParts.retryable,
      size: filingParts.size,
    })
    .from(filingParts)
    .where(and(eq(filingParts.cik, filing.cik), eq(filingParts.accession, filing.accession)));
}
