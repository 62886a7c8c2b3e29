import type { TaskFilingStatus, TaskState, TaskStatus } from '@symbology/contracts';

/** A `tasks` row as the postgres driver returns it (bigint as string, timestamptz as Date). */
export type TaskRow = {
  task_id: string;
  ticker: string;
  status: TaskState;
  progress: number;
  message: string;
  steps_completed: number;
  total_steps: number;
  company_cik: string | null;
  company_name: string | null;
  error: string | null;
  version: string | number;
  created_at: Date;
  updated_at: Date;
};

export type FilingRow = {
  task_id: string;
  accession: string;
  position: number;
  form: TaskFilingStatus['form'];
  fiscal_year: number;
  report_date: string;
  status: TaskState;
  error: string | null;
};

/** Rebuilds the TaskStatus a row pair stores; `filings` must be in position order. */
export function statusFromRows(row: TaskRow, filings: readonly FilingRow[]): TaskStatus {
  return {
    taskId: row.task_id,
    ticker: row.ticker,
    status: row.status,
    progress: row.progress,
    message: row.message,
    stepsCompleted: row.steps_completed,
    totalSteps: row.total_steps,
    company: row.company_cik === null ? null : { cik: row.company_cik, name: row.company_name ?? '' },
    filings: filings.map(filingFromRow),
    error: row.error,
    version: Number(row.version),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
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
