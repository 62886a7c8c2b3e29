import type { TaskFilingStatus, TaskStatus } from '@symbology/contracts';
import type { taskFilings, tasks } from './tables';

/** `stepsCompleted` -> `steps_completed`, as drizzle's snake_case casing names the columns. */
type SnakeCase<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Tail>}`
  : S;
type SnakeKeys<T> = { [K in keyof T & string as SnakeCase<K>]: T[K] };

/** A `tasks` row as JSON (`row_to_json`): bigint as a number, timestamps as ISO strings. */
export type TaskRow = SnakeKeys<typeof tasks.$inferSelect>;
export type FilingRow = SnakeKeys<typeof taskFilings.$inferSelect>;

/** One task as the read statement returns it: its row and its filings in position order. */
export type TaskDocument = { task: TaskRow; filings: FilingRow[] };

/** The TaskStatus a task's rows store: the inverse of the writer's column sources. */
export function statusFromDocument({ task, filings }: TaskDocument): TaskStatus {
  return {
    taskId: task.task_id,
    ticker: task.ticker,
    status: task.status,
    progress: task.progress,
    message: task.message,
    stepsCompleted: task.steps_completed,
    totalSteps: task.total_steps,
    company: task.company_cik === null ? null : { cik: task.company_cik, name: task.company_name ?? '' },
    filings: filings.map(filingFromRow),
    error: task.error,
    version: Number(task.version),
    // Postgres spells instants its own way (+00:00); the contract's spelling is toISOString's.
    createdAt: new Date(task.created_at).toISOString(),
    updatedAt: new Date(task.updated_at).toISOString(),
  };
}

function filingFromRow(f: FilingRow): TaskFilingStatus {
  const base = {
    accession: f.accession,
    form: f.form,
    fiscalYear: f.fiscal_year,
    reportDate: f.report_date,
    status: f.status,
  };
  return f.error === null ? base : { ...base, error: f.error };
}
