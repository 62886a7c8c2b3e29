import type { TaskStatus } from '@symbology/contracts';
import type postgres from 'postgres';
import { assignExcluded, joinFragments, PG_ARRAY, type Queryable } from '../raw-sql';
import {
  columnName,
  FILING_SOURCES,
  TASK_SOURCES,
  TASK_VALUE_COLUMNS,
  type ColumnSource,
  type FilingWrite,
} from './columns';
import type { TaskTables } from './table-names';

/**
 * Upserts the statuses with one multi-row UNNEST statement per table. The task row only moves
 * forward (`where version < excluded.version`): a replayed or stale status changes nothing, and
 * only the tasks actually written get their filings replaced (deleted, then inserted: a filing
 * the new status no longer lists goes). Returns the ids written. Task rows and filings are
 * separate statements: run it in the transaction that commits them, or a reader may see one
 * without the other.
 */
export async function writeStatuses(
  sql: Queryable,
  tables: TaskTables,
  statuses: Iterable<TaskStatus>,
): Promise<string[]> {
  const list = [...statuses];
  if (list.length === 0) return [];
  const written = await sql<{ task_id: string }[]>`
    ${insertRows(sql, tables.tasks, TASK_SOURCES, list)}
    on conflict (task_id) do update set ${assignExcluded(sql, TASK_VALUE_COLUMNS)}
    where t.version < excluded.version
    returning task_id`;
  const ids = written.map((r) => r.task_id);
  if (ids.length > 0) await replaceFilings(sql, tables, list, new Set(ids));
  return ids;
}

async function replaceFilings(sql: Queryable, tables: TaskTables, list: TaskStatus[], ids: Set<string>): Promise<void> {
  await sql`delete from ${sql(tables.filings)} where task_id = any(${sql.array([...ids], PG_ARRAY.uuid)}::uuid[])`;
  const rows = list
    .filter((s) => ids.has(s.taskId))
    .flatMap((s) => s.filings.map<FilingWrite>((f, position) => ({ taskId: s.taskId, position, ...f })));
  if (rows.length > 0) await insertRows(sql, tables.filings, FILING_SOURCES, rows);
}

/**
 * `insert into <table> as t (<every column>) select (r->>i)::<type>, … from jsonb_array_elements(<rows>)`:
 * the rows travel as one JSON text, a row an array of its column values. JSON.stringify is
 * native, where typed array parameters are escaped value by value in JS: a rebuild writes
 * hundreds of thousands of values, and this is the writer's share of the projector's CPU.
 */
function insertRows<R>(
  sql: Queryable,
  table: string,
  sources: Record<string, ColumnSource<R>>,
  rows: readonly R[],
): postgres.PendingQuery<postgres.Row[]> {
  const columns = Object.values(sources);
  const json = JSON.stringify(rows.map((row) => columns.map((s) => s.pick(row))));
  const values = columns.map((s, i) => sql`(r->>${sql.unsafe(String(i))})::${sql.unsafe(s.type)}`);
  // `::text` first: a parameter the server types as jsonb would be JSON-encoded again by the driver.
  return sql`
    insert into ${sql(table)} as t (${sql(Object.keys(sources).map(columnName))})
    select ${joinFragments(sql, values)} from jsonb_array_elements(${json}::text::jsonb) r`;
}
