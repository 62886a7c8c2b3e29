import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const timestamptz = () => timestamp({ withTimezone: true, mode: 'string' });

/** Where each projection has read up to, written in the same transaction as its rows. */
export const projectionCheckpoints = pgTable('projection_checkpoints', {
  projection: text().primaryKey(),
  stream: text().notNull(),
  lastSeq: bigint({ mode: 'number' }).notNull(),
  /** The stream's creation time: a stream deleted and recreated has a new one. */
  streamCreatedAt: timestamptz().notNull(),
  updatedAt: timestamptz()
    .notNull()
    .default(sql`now()`),
});

/** Messages a consumer could not use: kept whole, so nothing is lost and they can be retried. */
export const deadLetters = pgTable(
  'dead_letters',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    source: text().notNull(),
    subject: text().notNull(),
    seq: bigint({ mode: 'number' }),
    payload: text().notNull(),
    reason: text().notNull(),
    at: timestamptz()
      .notNull()
      .default(sql`now()`),
    retriedAt: timestamptz(),
  },
  (t) => [index('dead_letters_source_seq_idx').on(t.source, t.seq)],
);
