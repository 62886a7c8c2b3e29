import { PG_ARRAY, type Queryable } from '../projections/task-status/sql-types';

/**
 * Replaces the scope's rows in the live tables with the shadow's, inside the caller's
 * transaction. Rows are deleted and inserted rather than tables renamed: readers keep seeing
 * the old rows (MVCC) until the commit, never wait on an exclusive lock, and the live tables
 * keep their names, indexes and constraints as the migrations made them.
 */
export async function swapIn(
  tx: Queryable,
  taskIds: string[] | undefined,
): Promise<{ tasks: number; filings: number }> {
  if (taskIds === undefined) {
    await tx`delete from task_filings`;
    await tx`delete from tasks`;
  } else {
    // task_filings rows go with them (on delete cascade).
    await tx`delete from tasks where task_id = any(${tx.array(taskIds, PG_ARRAY.uuid)}::uuid[])`;
  }
  const tasks = await tx`
    insert into tasks (task_id, ticker, status, progress, message, steps_completed, total_steps, company_cik, company_name,
      error, version, created_at, updated_at)
    select task_id, ticker, status, progress, message, steps_completed, total_steps, company_cik, company_name,
      error, version, created_at, updated_at from tasks_rebuild`;
  const filings = await tx`
    insert into task_filings (task_id, accession, position, form, fiscal_year, report_date, status, error)
    select task_id, accession, position, form, fiscal_year, report_date, status, error from task_filings_rebuild`;
  return { tasks: tasks.count, filings: filings.count };
}
