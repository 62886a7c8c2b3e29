import {
  assignExcluded,
  FILING_VALUE_COLUMNS as FILING_COLUMNS,
  joinFragments,
  LIVE_TASK_TABLES as LIVE,
  PG_ARRAY,
  rowOf,
  SHADOW_TASK_TABLES as SHADOW,
  TASK_VALUE_COLUMNS as TASK_COLUMNS,
  type Queryable,
} from '@symbology/db';
import type { PendingQuery, Row } from 'postgres';

export type SwapCounts = {
  /** Rows of the rebuilt scope (the shadow's), whether or not they changed. */
  tasks: number;
  filings: number;
  /** Live rows inserted, updated or deleted by the swap. */
  changedTasks: number;
  changedFilings: number;
};

/**
 * Makes the scope's live rows equal to the shadow's inside the caller's transaction, writing
 * only the rows that differ: a join of shadow and live picks the rows missing or distinct, an
 * upsert writes those, then deletes of the live rows the shadow lacks. The join reads only: an
 * upsert of every shadow row would lock each conflicting live row (a tuple lock, written and
 * WAL-logged) just to find it equal. A rebuild of correct tables writes nothing (no new row
 * versions, no index or foreign-key work). Rows are changed in place rather than tables renamed:
 * readers keep seeing the old rows (MVCC) until the commit, never wait on an exclusive lock, and
 * the live tables keep their names, indexes and constraints as the migrations made them.
 */
export async function swapIn(tx: Queryable, taskIds: string[] | undefined): Promise<SwapCounts> {
  // `undefined` (a full rebuild) owns every live row; otherwise only the listed tasks'.
  const inScope = (alias: string): PendingQuery<Row[]> =>
    taskIds === undefined ? tx`true` : tx`${tx(alias)}.task_id = any(${tx.array(taskIds, PG_ARRAY.uuid)}::uuid[])`;
  const columnsOf = (alias: string, columns: readonly string[]) =>
    joinFragments(
      tx,
      columns.map((c) => tx`${tx(alias)}.${tx(c)}`),
    );
  // Every statement joins the whole scope: hashed in memory rather than sorted on disk.
  await tx`set local work_mem = '64MB'`;
  // Tasks first: the filings' foreign key needs the new tasks.
  const upsertedTasks = await tx`
    insert into ${tx(LIVE.tasks)} as t (task_id, ${tx(TASK_COLUMNS)})
    select r.task_id, ${columnsOf('r', TASK_COLUMNS)}
    from ${tx(SHADOW.tasks)} r left join ${tx(LIVE.tasks)} l on l.task_id = r.task_id
    where l.task_id is null or ${rowOf(tx, 'l', TASK_COLUMNS)} is distinct from ${rowOf(tx, 'r', TASK_COLUMNS)}
    on conflict (task_id) do update set ${assignExcluded(tx, TASK_COLUMNS)}
    where ${rowOf(tx, 't', TASK_COLUMNS)} is distinct from ${rowOf(tx, 'excluded', TASK_COLUMNS)}`;
  // The filings of tasks about to be deleted go here too, so they are counted.
  const deletedFilings = await tx`
    delete from ${tx(LIVE.filings)} f where ${inScope('f')} and not exists (
      select 1 from ${tx(SHADOW.filings)} r where r.task_id = f.task_id and r.accession = f.accession)`;
  const upsertedFilings = await tx`
    insert into ${tx(LIVE.filings)} as f (task_id, accession, ${tx(FILING_COLUMNS)})
    select r.task_id, r.accession, ${columnsOf('r', FILING_COLUMNS)}
    from ${tx(SHADOW.filings)} r left join ${tx(LIVE.filings)} l on l.task_id = r.task_id and l.accession = r.accession
    where l.task_id is null or ${rowOf(tx, 'l', FILING_COLUMNS)} is distinct from ${rowOf(tx, 'r', FILING_COLUMNS)}
    on conflict (task_id, accession) do update set ${assignExcluded(tx, FILING_COLUMNS)}
    where ${rowOf(tx, 'f', FILING_COLUMNS)} is distinct from ${rowOf(tx, 'excluded', FILING_COLUMNS)}`;
  const deletedTasks = await tx`
    delete from ${tx(LIVE.tasks)} t where ${inScope('t')} and not exists (
      select 1 from ${tx(SHADOW.tasks)} r where r.task_id = t.task_id)`;
  const [scope] = await tx<{ tasks: number; filings: number }[]>`
    select (select count(*) from ${tx(SHADOW.tasks)})::int as tasks,
      (select count(*) from ${tx(SHADOW.filings)})::int as filings`;
  return {
    tasks: scope?.tasks ?? 0,
    filings: scope?.filings ?? 0,
    changedTasks: upsertedTasks.count + deletedTasks.count,
    changedFilings: upsertedFilings.count + deletedFilings.count,
  };
}
