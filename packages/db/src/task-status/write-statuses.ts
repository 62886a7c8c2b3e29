import type { TaskStatus } from '@symbology/contracts';
import type postgres from 'postgres';
import { assignExcluded, joinFragments, PG_ARRAY, type Queryable } from '../raw-sql';
import { columnName, FILING_SOURCES, TASK_SOURCES, TASK_VALUE_COLUMNS, type ColumnSource } from './columns';
import { encodeStatuses, type EncodedStatuses } from './encode-statuses';
import type { TaskTables } from './table-names';

/**
 * Upserts the statuses with one multi-row statement per table. The task row only moves forward
 * (`where version < excluded.version`): a replayed or stale status changes nothing, and only the
 * tasks actually written get their filings replaced (deleted, then inserted: a filing the new
 * status no longer lists goes). Returns the ids written. Task rows and filings are separate
 * statements: run it in the transaction that commits them, or a reader may see one without the other.
 */
export async function writeStatuses(
  sql: Queryable,
  tables: TaskTables,
  statuses: Iterable<TaskStatus>,
): Promise<string[]> {
  return writeEncodedStatuses(sql, tables, encodeStatuses(statuses));
}

/** The I/O half of `writeStatuses`: sends rows `encodeStatuses` built. */
export async function writeEncodedStatuses(
  sql: Queryable,
  tables: TaskTables,
  encoded: EncodedStatuses,
): Promise<string[]> {
  if (encoded.taskCount === 0) return [];
  const written = await sql<{ task_id: string }[]>`
    ${insertRows(sql, tables.tasks, TASK_SOURCES, encoded.tasks)}
    on conflict (task_id) do update set ${assignExcluded(sql, TASK_VALUE_COLUMNS)}
    where t.version < excluded.version
    returning task_id`;
  const ids = written.map((r) => r.task_id);
  if (ids.length > 0) await replaceFilings(sql, tables, encoded, ids);
  return ids;
}

/** The filings of the tasks written, and of no other (a stale status's filings are not its task's). */
async function replaceFilings(sql: Queryable, tables: TaskTables, encoded: EncodedStatuses, ids: string[]) {
  const written = sql.array(ids, PG_ARRAY.uuid);
  await sql`delete from ${sql(tables.filings)} where task_id = any(${written}::uuid[])`;
  if (encoded.filingCount === 0) return;
  // Every task written (a rebuild's rows, most live batches): all the filings go, unfiltered; the
  // filter tests each filing against every id written, which costs Postgres more than the insert.
  const ofWritten =
    ids.length === encoded.taskCount
      ? sql``
      : sql`where (r->>${sql.unsafe(String(FILING_TASK_ID))})::uuid = any(${written}::uuid[])`;
  await sql`${insertRows(sql, tables.filings, FILING_SOURCES, encoded.filings)} ${ofWritten}`;
}

const FILING_TASK_ID = Object.keys(FILING_SOURCES).indexOf('taskId');

/**
 * `insert into <table> as t (<every column>) select (r->>i)::<type>, … from jsonb_array_elements(<rows>)`:
 * the rows travel as one JSON text (`encodeStatuses`), which the server takes apart.
 */
function insertRows<R>(
  sql: Queryable,
  table: string,
  sources: Record<string, ColumnSource<R>>,
  json: string,
): postgres.PendingQuery<postgres.Row[]> {
  const columns = Object.values(sources);
  const values = columns.map((s, i) => sql`(r->>${sql.unsafe(String(i))})::${sql.unsafe(s.type)}`);
  // `::text` first: a parameter the server types as jsonb would be JSON-encoded again by the driver.
  return sql`
    insert into ${sql(table)} as t (${sql(Object.keys(sources).map(columnName))})
    select ${joinFragments(sql, values)} from jsonb_array_elements(${json}::text::jsonb) r`;
}
