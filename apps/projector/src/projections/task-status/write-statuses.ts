import type { TaskStatus } from '@symbology/contracts';
import { PG_ARRAY, type Queryable } from './sql-types';
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
  const col = <T>(pick: (s: TaskStatus) => T) => list.map(pick);
  const { text, int4, int8, timestamptz, uuid } = PG_ARRAY;
  const written = await sql<{ task_id: string }[]>`
    insert into ${sql(tables.tasks)} as t (task_id, ticker, status, progress, message, steps_completed, total_steps,
      company_cik, company_name, error, version, created_at, updated_at)
    select * from unnest(
      ${sql.array(
        col((s) => s.taskId),
        uuid,
      )}::uuid[], ${sql.array(
        col((s) => s.ticker),
        text,
      )}::text[],
      ${sql.array(
        col((s) => s.status),
        text,
      )}::text[], ${sql.array(
        col((s) => s.progress),
        int4,
      )}::int[],
      ${sql.array(
        col((s) => s.message),
        text,
      )}::text[], ${sql.array(
        col((s) => s.stepsCompleted),
        int4,
      )}::int[],
      ${sql.array(
        col((s) => s.totalSteps),
        int4,
      )}::int[], ${sql.array(
        col((s) => s.company?.cik ?? null),
        text,
      )}::text[],
      ${sql.array(
        col((s) => s.company?.name ?? null),
        text,
      )}::text[], ${sql.array(
        col((s) => s.error),
        text,
      )}::text[],
      ${sql.array(
        col((s) => s.version),
        int8,
      )}::bigint[], ${sql.array(
        col((s) => s.createdAt),
        timestamptz,
      )}::timestamptz[],
      ${sql.array(
        col((s) => s.updatedAt),
        timestamptz,
      )}::timestamptz[])
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
  const { text, int4, uuid } = PG_ARRAY;
  await sql`delete from ${sql(tables.filings)} where task_id = any(${sql.array([...ids], uuid)}::uuid[])`;
  const rows = list
    .filter((s) => ids.has(s.taskId))
    .flatMap((s) => s.filings.map((f, position) => ({ taskId: s.taskId, position, ...f })));
  if (rows.length === 0) return;
  const col = <T>(pick: (r: (typeof rows)[number]) => T) => rows.map(pick);
  await sql`
    insert into ${sql(tables.filings)} (task_id, accession, position, form, fiscal_year, report_date, status, error)
    select * from unnest(
      ${sql.array(
        col((r) => r.taskId),
        uuid,
      )}::uuid[], ${sql.array(
        col((r) => r.accession),
        text,
      )}::text[],
      ${sql.array(
        col((r) => r.position),
        int4,
      )}::int[], ${sql.array(
        col((r) => r.form),
        text,
      )}::text[],
      ${sql.array(
        col((r) => r.fiscalYear),
        int4,
      )}::int[], ${sql.array(
        col((r) => r.reportDate),
        text,
      )}::text[],
      ${sql.array(
        col((r) => r.status),
        text,
      )}::text[], ${sql.array(
        col((r) => r.error ?? null),
        text,
      )}::text[])`;
}
