import type { TaskStatus } from '@symbology/contracts';
import { PG_ARRAY, unnestColumns, type Queryable } from './sql-types';
import type { TaskTables } from './tables';

/**
 * Upserts the statuses with one multi-row UNNEST statement per table. The task row only moves
 * forward (`where version < excluded.version`): a replayed or stale status changes nothing, and
 * only the tasks actually written get their filings replaced. Returns the ids written.
 */
export async function writeStatuses(
  sql: Queryable,
  tables: TaskTables,
  statuses: Iterable<TaskStatus>,
): Promise<string[]> {
  const list = [...statuses];
  if (list.length === 0) return [];
  const column = unnestColumns(sql, list);
  const written = await sql<{ task_id: string }[]>`
    insert into ${sql(tables.tasks)} as t (task_id, ticker, status, progress, message, steps_completed, total_steps,
      company_cik, company_name, error, version, created_at, updated_at)
    select * from unnest(
      ${column('uuid', (s) => s.taskId)}::uuid[],
      ${column('text', (s) => s.ticker)}::text[],
      ${column('text', (s) => s.status)}::text[],
      ${column('int4', (s) => s.progress)}::int[],
      ${column('text', (s) => s.message)}::text[],
      ${column('int4', (s) => s.stepsCompleted)}::int[],
      ${column('int4', (s) => s.totalSteps)}::int[],
      ${column('text', (s) => s.company?.cik ?? null)}::text[],
      ${column('text', (s) => s.company?.name ?? null)}::text[],
      ${column('text', (s) => s.error)}::text[],
      ${column('int8', (s) => s.version)}::bigint[],
      ${column('timestamptz', (s) => s.createdAt)}::timestamptz[],
      ${column('timestamptz', (s) => s.updatedAt)}::timestamptz[])
    on conflict (task_id) do update set
      ticker = excluded.ticker, status = excluded.status, progress = excluded.progress, message = excluded.message,
      steps_completed = excluded.steps_completed, total_steps = excluded.total_steps, company_cik = excluded.company_cik,
      company_name = excluded.company_name, error = excluded.error, version = excluded.version,
      created_at = excluded.created_at, updated_at = excluded.updated_at
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
    .flatMap((s) => s.filings.map((f, position) => ({ taskId: s.taskId, position, ...f })));
  if (rows.length === 0) return;
  const column = unnestColumns(sql, rows);
  await sql`
    insert into ${sql(tables.filings)} (task_id, accession, position, form, fiscal_year, report_date, status, error)
    select * from unnest(
      ${column('uuid', (r) => r.taskId)}::uuid[],
      ${column('text', (r) => r.accession)}::text[],
      ${column('int4', (r) => r.position)}::int[],
      ${column('text', (r) => r.form)}::text[],
      ${column('int4', (r) => r.fiscalYear)}::int[],
      ${column('text', (r) => r.reportDate)}::text[],
      ${column('text', (r) => r.status)}::text[],
      ${column('text', (r) => r.error ?? null)}::text[])`;
}
