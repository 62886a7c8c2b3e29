import { and, eq } from 'drizzle-orm';
import { deadLetters, withVisibleNul, type Database } from '@symbology/db';

export const DEAD_LETTER_SOURCE = 'ingestor';

export type DeadLetter = { subject: string; seq: number; payload: string; reason: string };

/**
 * Records a message the ingestor cannot use, whole, so nothing is lost. Keyed by stream sequence:
 * if the process dies between this insert and the term(), the redelivery does not record it twice.
 * A NUL in the subject, payload or reason is kept as a visible `\u0000`: Postgres refuses the byte itself,
 * and a letter it refuses would be retried until max_deliver and then lost.
 */
export async function recordDeadLetter(db: Database, letter: DeadLetter): Promise<void> {
  await db.transaction(async (tx) => {
    const held = await tx
      .select({ id: deadLetters.id })
      .from(deadLetters)
      .where(and(eq(deadLetters.source, DEAD_LETTER_SOURCE), eq(deadLetters.seq, letter.seq)))
      .limit(1);
    if (held.length > 0) return;
    await tx.insert(deadLetters).values({
      source: DEAD_LETTER_SOURCE,
      ...letter,
      subject: withVisibleNul(letter.subject),
      payload: withVisibleNul(letter.payload),
      reason: withVisibleNul(letter.reason),
    });
  });
}
