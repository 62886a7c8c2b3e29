import type { TaskStatus } from '@symbology/contracts';
import { PG_ARRAY, type Queryable } from './sql-types';
import type { TaskTables } from './tables';
import { statusFromRows, type FilingRow, type TaskRow } from './task-rows';

/** The stored statuses of the given tasks (absent ids are simply missing from the map). */
export async function loadStatuses(
  sql: Queryable,
  tables: TaskTables,
  taskIds: readonly string[],
): Promise<Map<string, TaskStatus>> {
  const out = new Map<string, TaskStatus>();
  if (taskIds.length === 0) return out;
  const ids = sql.array([...taskIds], PG_ARRAY.uuid);
  const rows = await sql<TaskRow[]>`select * from ${sql(tables.tasks)} where task_id = any(${ids}::uuid[])`;
  const filings = await sql<FilingRow[]>`
    select * from ${sql(tables.filings)} where task_id = any(${ids}::uuid[]) order by task_id, position`;
  return assemble(rows, filings);
}

/** Every stored status (verify compares them all with the fold of the stream). */
export async function loadAllStatuses(sql: Queryable, tables: TaskTables): Promise<Map<string, TaskStatus>> {
  const rows = await sql<TaskRow[]>`select * from ${sql(tables.tasks)}`;
  const filings = await sql<FilingRow[]>`select * from ${sql(tables.filings)} order by task_id, position`;
  return assemble(rows, filings);
}

function assemble(rows: readonly TaskRow[], filings: readonly FilingRow[]): Map<string, TaskStatus> {
  const byTask = new Map<string, FilingRow[]>();
  for (const f of filings) {
    const list = byTask.get(f.task_id);
    if (list) list.push(f);
    else byTask.set(f.task_id, [f]);
  }
  const out = new Map<string, TaskStatus>();
  for (const row of rows) out.set(row.task_id, statusFromRows(row, byTask.get(row.task_id) ?? []));
  return out;
}
