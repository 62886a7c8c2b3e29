import type { TaskState } from '@symbology/contracts';
import type { Queryable } from '../raw-sql';
import { LIVE_TASK_TABLES } from './table-names';
import { ACTIVE_TASK_PREDICATE } from './tables';

/** The projected state of a task no ingestor has taken up yet (IngestRequested folded, nothing after). */
export const WAITING_TASK_STATE = 'pending' satisfies TaskState;

/**
 * How many projected tasks still wait for an ingestor and were asked for before task `taskId`.
 * Task ids are UUIDv7, time-ordered, and Postgres compares uuids byte by byte, so a lower id was
 * asked for earlier; a task's `version` would not do, as an IngestDelayed moves it. The
 * active-task predicate is repeated so the partial index `tasks_active_idx` serves the count, as
 * it does countActiveTasks'.
 */
export async function countQueuedAhead(sql: Queryable, taskId: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from ${sql(LIVE_TASK_TABLES.tasks)}
    where ${sql.unsafe(ACTIVE_TASK_PREDICATE)} and status = ${WAITING_TASK_STATE} and task_id < ${taskId}`;
  return row?.n ?? 0;
}
