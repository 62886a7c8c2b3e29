import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const timestamptz = (name?: string) =>
  name ? timestamp(name, { withTimezone: true, mode: 'string' }) : timestamp({ withTimezone: true, mode: 'string' });

/** The projected status of each ingestion task (written only by the projector). */
export const tasks = pgTable(
  'tasks',
  {
    taskId: uuid().primaryKey(),
    ticker: text().notNull(),
    status: text({ enum: ['pending', 'processing', 'completed', 'failed'] }).notNull(),
    progress: integer().notNull(),
    message: text().notNull(),
    stepsCompleted: integer().notNull(),
    totalSteps: integer().notNull(),
    companyCik: text(),
    companyName: text(),
    error: text(),
    /** Stream sequence of the last event folded in. */
    version: bigint({ mode: 'number' }).notNull(),
    createdAt: timestamptz().notNull(),
    updatedAt: timestamptz().notNull(),
  },
  (t) => [index('tasks_ticker_status_idx').on(t.ticker, t.status)],
);

export const taskFilings = pgTable(
  'task_filings',
  {
    taskId: uuid()
      .notNull()
      .references(() => tasks.taskId, { onDelete: 'cascade' }),
    accession: text().notNull(),
    /** Order the ingestor selected the filings in (newest fiscal year first). */
    position: integer().notNull(),
    form: text().notNull(),
    fiscalYear: integer().notNull(),
    reportDate: text().notNull(),
    status: text({ enum: ['pending', 'processing', 'completed', 'failed'] }).notNull(),
    error: text(),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.accession] })],
);

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
