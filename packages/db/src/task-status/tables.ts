import { sql } from 'drizzle-orm';
import {
  AnnualFormSchema,
  FilingStateSchema,
  IngestModeSchema,
  TaskStateSchema,
  TERMINAL_TASK_STATES,
  type MissingPart,
} from '@symbology/contracts';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const timestamptz = () => timestamp({ withTimezone: true, mode: 'string' });

/**
 * The contract's values as a text column's TypeScript-only enum (the migrations keep plain text),
 * so the row types match `TaskStatus` exactly and follow the contract when it changes.
 */
const enumOf = <T extends string>(values: readonly T[]) => values as readonly [T, ...T[]];

/**
 * A task queued or running, as SQL over `tasks`: the literal list the partial index below is built
 * on, so the count of active tasks (the ingestion queue cap) reads that index, not every task.
 */
export const ACTIVE_TASK_PREDICATE = `"status" not in (${TERMINAL_TASK_STATES.map((s) => `'${s}'`).join(', ')})`;

/** The projected status of each ingestion task (written only by the projector). */
export const tasks = pgTable(
  'tasks',
  {
    taskId: uuid().primaryKey(),
    ticker: text().notNull(),
    /** Defaults are what a task projected before schemaVersion 2 was: an initial ingestion. */
    mode: text({ enum: enumOf(IngestModeSchema.options) })
      .notNull()
      .default('initial'),
    status: text({ enum: enumOf(TaskStateSchema.options) }).notNull(),
    progress: integer().notNull(),
    message: text().notNull(),
    stepsCompleted: integer().notNull(),
    totalSteps: integer().notNull(),
    companyCik: text(),
    companyName: text(),
    error: text(),
    alreadyStored: integer().notNull().default(0),
    cancelRequested: boolean().notNull().default(false),
    /** Stream sequence of the last event folded in. */
    version: bigint({ mode: 'number' }).notNull(),
    createdAt: timestamptz().notNull(),
    updatedAt: timestamptz().notNull(),
  },
  (t) => [
    index('tasks_ticker_status_idx').on(t.ticker, t.status),
    index('tasks_active_idx').on(t.status).where(sql.raw(ACTIVE_TASK_PREDICATE)),
  ],
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
    status: text({ enum: enumOf(FilingStateSchema.options) }).notNull(),
    error: text(),
    /** The parts the filing does not hold, each with its code, message and retryability. */
    missing: jsonb()
      .$type<MissingPart[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.accession] })],
);
