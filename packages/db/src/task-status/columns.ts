import type { TaskFilingStatus, TaskStatus } from '@symbology/contracts';
import { toSnakeCase } from 'drizzle-orm/casing';
import type { PgTable } from 'drizzle-orm/pg-core';
import type postgres from 'postgres';
import type { PgArrayType } from '../raw-sql';
import type { taskFilings, tasks } from './tables';

/** How one column is filled from a domain value: its SQL type and the value it takes. */
export type ColumnSource<R> = { type: PgArrayType; pick: (row: R) => postgres.SerializableParameter };

/**
 * One source for every column of a drizzle table: adding, removing or renaming a column in
 * `tables.ts` fails to typecheck here until the writer follows.
 */
export type TableSources<T extends PgTable, R> = { [K in keyof T['$inferInsert']]-?: ColumnSource<R> };

/** A filing as `task_filings` stores it: the contract's filing, its task and its place in the list. */
export type FilingWrite = TaskFilingStatus & { taskId: string; position: number };

export const TASK_SOURCES = {
  taskId: { type: 'uuid', pick: (s) => s.taskId },
  ticker: { type: 'text', pick: (s) => s.ticker },
  mode: { type: 'text', pick: (s) => s.mode },
  status: { type: 'text', pick: (s) => s.status },
  progress: { type: 'int4', pick: (s) => s.progress },
  message: { type: 'text', pick: (s) => s.message },
  stepsCompleted: { type: 'int4', pick: (s) => s.stepsCompleted },
  totalSteps: { type: 'int4', pick: (s) => s.totalSteps },
  companyCik: { type: 'text', pick: (s) => s.company?.cik ?? null },
  companyName: { type: 'text', pick: (s) => s.company?.name ?? null },
  error: { type: 'text', pick: (s) => s.error },
  alreadyStored: { type: 'int4', pick: (s) => s.alreadyStored },
  cancelRequested: { type: 'bool', pick: (s) => s.cancelRequested },
  version: { type: 'int8', pick: (s) => s.version },
  // ISO strings, not Dates: drizzle's client (web) swaps the driver's timestamp serializers out.
  createdAt: { type: 'timestamptz', pick: (s) => s.createdAt },
  updatedAt: { type: 'timestamptz', pick: (s) => s.updatedAt },
} satisfies TableSources<typeof tasks, TaskStatus>;

export const FILING_SOURCES = {
  taskId: { type: 'uuid', pick: (f) => f.taskId },
  accession: { type: 'text', pick: (f) => f.accession },
  position: { type: 'int4', pick: (f) => f.position },
  form: { type: 'text', pick: (f) => f.form },
  fiscalYear: { type: 'int4', pick: (f) => f.fiscalYear },
  reportDate: { type: 'text', pick: (f) => f.reportDate },
  status: { type: 'text', pick: (f) => f.status },
  error: { type: 'text', pick: (f) => f.error ?? null },
  missing: { type: 'jsonb', pick: (f) => JSON.stringify(f.missing) },
} satisfies TableSources<typeof taskFilings, FilingWrite>;

/** A column's name in SQL, spelt as drizzle (casing: snake_case) and so the migrations spell it. */
export const columnName = (key: string): string => toSnakeCase(key);

/**
 * The columns a row is matched on, and the others (those a rebuild's swap compares and an upsert
 * overwrites).
 */
export const TASK_KEY = ['taskId'] as const satisfies ReadonlyArray<keyof typeof TASK_SOURCES>;
export const FILING_KEY = ['taskId', 'accession'] as const satisfies ReadonlyArray<keyof typeof FILING_SOURCES>;

const namesExcept = (sources: object, key: readonly string[]) =>
  Object.keys(sources)
    .filter((k) => !key.includes(k))
    .map(columnName);

/** `tasks` columns other than `task_id`. */
export const TASK_VALUE_COLUMNS = namesExcept(TASK_SOURCES, TASK_KEY);
/** `task_filings` columns other than `task_id`, `accession`. */
export const FILING_VALUE_COLUMNS = namesExcept(FILING_SOURCES, FILING_KEY);
