import { AnnualFormSchema, TaskStateSchema } from '@symbology/contracts';
import { bigint, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const timestamptz = () => timestamp({ withTimezone: true, mode: 'string' });

/**
 * The contract's values as a text column's TypeScript-only enum (the migrations keep plain text),
 * so the row types match `TaskStatus` exactly and follow the contract when it changes.
 */
const enumOf = <T extends string>(values: readonly T[]) => values as readonly [T, ...T[]];

/** The projected status of each ingestion task (written only by the projector). */
export const tasks = pgTable(
  'tasks',
  {
    taskId: uuid().primaryKey(),
    ticker: text().notNull(),
    status: text({ enum: enumOf(TaskStateSchema.options) }).notNull(),
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
    form: text({ enum: enumOf(AnnualFormSchema.options) }).notNull(),
    fiscalYear: integer().notNull(),
    reportDate: text().notNull(),
    status: text({ enum: enumOf(TaskStateSchema.options) }).notNull(),
    error: text(),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.accession] })],
);
