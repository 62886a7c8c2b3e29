import { isTerminalState, type TaskState } from '@symbology/contracts';
import { PG_ARRAY, type Queryable } from '../raw-sql';
import { LIVE_TASK_TABLES } from './table-names';

/** Where each of these tasks stands, as projected: ended, begun (an ingestor took it up) or waiting. */
export type TaskStanding = { ended: string[]; begun: string[]; waiting: string[] };

/**
 * Sorts these tasks by their projected status: terminal ones have ended; `pending` ones, and those
 * not projected yet, wait for an ingestor; the rest have begun.
 */
export async function taskStanding(sql: Queryable, taskIds: readonly string[]): Promise<TaskStanding> {
  const standing: TaskStanding = { ended: [], begun: [], waiting: [] };
  if (taskIds.length === 0) return standing;
  const ids = sql.array([...taskIds], PG_ARRAY.uuid);
  const rows = await sql<{ task_id: string; status: TaskState }[]>`
    select task_id, status from ${sql(LIVE_TASK_TABLES.tasks)} where task_id = any(${ids}::uuid[])`;
  const projected = new Map(rows.map((r) => [r.task_id, r.status]));
  for (const id of taskIds) standing[standingOf(projected.get(id))].push(id);
  return standing;
}

/** Where a task in this state stands; a task with no status yet (not projected) waits. */
export function standingOf(status: TaskState | undefined): keyof TaskStanding {
  if (status && isTerminalState(status)) return 'ended';
  return status && status !== 'pending' ? 'begun' : 'waiting';
}
