import type { PendingQuery, Row } from 'postgres';
import { PG_ARRAY, type Queryable } from '../projections/task-status/sql-types';

export type SwapCounts = {
  /** Rows of the rebuilt scope (the shadow's), whether or not they changed. */
  tasks: number;
  filings: number;
  /** Live rows inserted, updated or deleted by the swap. */
  changedTasks: number;
  changedFilings: number;
};

const TASK_COLUMNS = [
  'ticker',
  'status',
  'progress',
  'message',
  'steps_completed',
  'total_steps',
  'company_cik',
  'company_name',
  'error',
  'version',
  'created_at',
  'updated_at',
];
const FILING_COLUMNS = ['position', 'form', 'fiscal_year', 'report_date', 'status', 'error'];

/**
 * Makes the scope's live rows equal to the shadow's inside the caller's transaction, writing
 * only the rows that differ: an upsert whose update applies only where a column is distinct,
 * then deletes of the live rows the shadow lacks. A rebuild of correct tables writes nothing
 * (no new row versions, no index or foreign-key work). Rows are changed in place rather than
 * tables renamed: readers keep seeing the old rows (MVCC) until the commit, never wait on an
 * exclusive lock, and the live tables keep their names, indexes and constraints as the
 * migrations made them.
 */
export async function swapIn(tx: Queryable, taskIds: string[] | undefined): Promise<SwapCounts> {
  // `undefined` (a full rebuild) owns every live row; otherwise only the listed tasks'.
  const inScope = (alias: string): PendingQuery<Row[]> =>
    taskIds === undefined ? tx`true` : tx`${tx(alias)}.task_id = any(${tx.array(taskIds, PG_ARRAY.uuid)}::uuid[])`;

  // Tasks first: the filings' foreign key needs the new tasks.
  const upsertedTasks = await tx`
    insert into tasks as t (task_id, ${tx(TASK_COLUMNS)})
    select task_id, ${tx(TASK_COLUMNS)} from tasks_rebuild
    on conflict (task_id) do update set ${assignExcluded(tx, TASK_COLUMNS)}
    where ${columnsOf(tx, 't', TASK_COLUMNS)} is distinct from ${columnsOf(tx, 'excluded', TASK_COLUMNS)}`;
  // The filings of tasks about to be deleted go here too, so they are counted.
  const deletedFilings = await tx`
    delete from task_filings f where ${inScope('f')} and not exists (
      select 1 from task_filings_rebuild r where r.task_id = f.task_id and r.accession = f.accession)`;
  const upsertedFilings = await tx`
    insert into task_filings as f (task_id, accession, ${tx(FILING_COLUMNS)})
    select task_id, accession, ${tx(FILING_COLUMNS)} from task_filings_rebuild
    on conflict (task_id, accession) do update set ${assignExcluded(tx, FILING_COLUMNS)}
    where ${columnsOf(tx, 'f', FILING_COLUMNS)} is distinct from ${columnsOf(tx, 'excluded', FILING_COLUMNS)}`;
  const deletedTasks = await tx`
    delete from tasks t where ${inScope('t')} and not exists (select 1 from tasks_rebuild r where r.task_id = t.task_id)`;

  const [scope] = await tx<{ tasks: number; filings: number }[]>`
    select (select count(*) from tasks_rebuild)::int as tasks, (select count(*) from task_filings_rebuild)::int as filings`;
  return {
    tasks: scope?.tasks ?? 0,
    filings: scope?.filings ?? 0,
    changedTasks: upsertedTasks.count + deletedTasks.count,
    changedFilings: upsertedFilings.count + deletedFilings.count,
  };
}

/** `(alias.a, alias.b, …)`: a row value to compare with `is distinct from` (null-safe). */
function columnsOf(tx: Queryable, alias: string, columns: readonly string[]): PendingQuery<Row[]> {
  return tx.unsafe(`(${columns.map((c) => `${alias}.${c}`).join(', ')})`);
}

/** `a = excluded.a, b = excluded.b, …` */
function assignExcluded(tx: Queryable, columns: readonly string[]): PendingQuery<Row[]> {
  return tx.unsafe(columns.map((c) => `${c} = excluded.${c}`).join(', '));
}
