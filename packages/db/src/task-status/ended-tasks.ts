import { TERMINAL_TASK_STATES } from '@symbology/contracts';
import { PG_ARRAY, type Queryable } from '../raw-sql';
import { LIVE_TASK_TABLES } from './table-names';

/** Of these tasks, those whose projected status is terminal; one not projected yet is not among them. */
export async function endedAmong(sql: Queryable, taskIds: readonly string[]): Promise<string[]> {
  if (taskIds.length === 0) return [];
  const ids = sql.array([...taskIds], PG_ARRAY.uuid);
  const terminal = sql.array([...TERMINAL_TASK_STATES], PG_ARRAY.text);
  const rows = await sql<{ task_id: string }[]>`
    select task_id from ${sql(LIVE_TASK_TABLES.tasks)}
    where task_id = any(${ids}::uuid[]) and status = any(${terminal}::text[])`;
  return rows.map((r) => r.task_id);
}
