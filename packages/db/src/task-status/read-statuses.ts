import { TASK_STATUS_PROJECTION, TaskStatusSchema, type TaskStatus } from '@symbology/contracts';
import type postgres from 'postgres';
import { PG_ARRAY, type Queryable } from '../raw-sql';
import { LIVE_TASK_TABLES, type TaskTables } from './table-names';
import { ACTIVE_TASK_PREDICATE } from './tables';
import { statusFromDocument, type TaskDocument } from './task-document';

/** A task row `t` with its filings as one JSON text. */
const taskDocument = (sql: Queryable, tables: TaskTables) => sql`
  json_build_object('task', row_to_json(t), 'filings', coalesce(
    (select json_agg(f order by f.position) from ${sql(tables.filings)} f where f.task_id = t.task_id),
    '[]'))::text`;

/**
 * Each selected task's row with its filings, as one JSON document per task from ONE statement:
 * a statement sees one snapshot, so a reader never pairs a task row of one commit with filings
 * of another. JSON also makes the result the same whichever client runs it (drizzle's `$client`
 * re-registers the driver's timestamp parsers; the plain driver gives Dates).
 */
async function selectStatuses(
  sql: Queryable,
  tables: TaskTables,
  where: postgres.PendingQuery<postgres.Row[]>,
): Promise<TaskStatus[]> {
  const rows = await sql<
    { doc: string }[]
  >`select ${taskDocument(sql, tables)} as doc from ${sql(tables.tasks)} t ${where}`;
  return rows.map((r) => statusFromDocument(JSON.parse(r.doc) as TaskDocument));
}

/**
 * The projected status of one task, read atomically; undefined when it is not projected (yet).
 * Parsed, not cast: the browser relies on the shape.
 */
export async function readTaskStatus(sql: Queryable, taskId: string): Promise<TaskStatus | undefined> {
  const [status] = await selectStatuses(sql, LIVE_TASK_TABLES, sql`where t.task_id = ${taskId}`);
  return status && TaskStatusSchema.parse(status);
}

export type ProjectedTaskStatus = {
  status: TaskStatus | undefined;
  /**
   * The stream sequence the projection has folded through when the status was read (null before
   * the projector's first commit): the status holds every event of its task up to here.
   */
  coveredThrough: number | null;
  /**
   * The creation time of the stream that checkpoint was written for (null with it): its sequences
   * mean nothing on another stream (INGEST deleted and recreated).
   */
  streamCreatedAt: Date | null;
};

/**
 * One task's projected status with the projection's checkpoint, from ONE statement (one snapshot:
 * the projector writes both in one transaction). A live reader that also folds the stream needs
 * both: it may add to this status only the events after `coveredThrough`.
 */
export async function readTaskStatusCovered(sql: Queryable, taskId: string): Promise<ProjectedTaskStatus> {
  const t = LIVE_TASK_TABLES;
  // The checkpoint as JSON text: the same whichever client runs it (see selectStatuses).
  const [row] = await sql<{ doc: string | null; covered: string | null }[]>`
    select
      (select json_build_object('seq', last_seq, 'streamCreatedAt', stream_created_at)::text
        from projection_checkpoints where projection = ${TASK_STATUS_PROJECTION}) as covered,
      (select ${taskDocument(sql, t)} from ${sql(t.tasks)} t where t.task_id = ${taskId}) as doc`;
  const status = row?.doc ? TaskStatusSchema.parse(statusFromDocument(JSON.parse(row.doc) as TaskDocument)) : undefined;
  if (!row?.covered) return { status, coveredThrough: null, streamCreatedAt: null };
  const covered = JSON.parse(row.covered) as { seq: number; streamCreatedAt: string };
  return { status, coveredThrough: Number(covered.seq), streamCreatedAt: new Date(covered.streamCreatedAt) };
}

/** The stored statuses of the given tasks (absent ids are simply missing from the map). */
export async function loadStatuses(
  sql: Queryable,
  tables: TaskTables,
  taskIds: readonly string[],
): Promise<Map<string, TaskStatus>> {
  if (taskIds.length === 0) return new Map();
  const ids = sql.array([...taskIds], PG_ARRAY.uuid);
  return byTask(await selectStatuses(sql, tables, sql`where t.task_id = any(${ids}::uuid[])`));
}

/** Every stored status (verify compares them all with the fold of the stream). */
export async function loadAllStatuses(sql: Queryable, tables: TaskTables): Promise<Map<string, TaskStatus>> {
  return byTask(await selectStatuses(sql, tables, sql``));
}

const byTask = (statuses: readonly TaskStatus[]) => new Map(statuses.map((s) => [s.taskId, s]));

/** How many tasks are queued or running (not in a terminal state), for the ingestion queue cap. */
export async function countActiveTasks(sql: Queryable): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from ${sql(LIVE_TASK_TABLES.tasks)} where ${sql.unsafe(ACTIVE_TASK_PREDICATE)}`;
  return row?.n ?? 0;
}
