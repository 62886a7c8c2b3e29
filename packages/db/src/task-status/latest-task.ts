import { and, desc, eq, inArray } from 'drizzle-orm';
import { TERMINAL_TASK_STATES } from '@symbology/contracts';
import type { Database } from '../client';
import { tasks } from './tables';

/** The id of the newest task for `ticker` that has ended, if any (ids are UUIDv7: they sort by time). */
export async function latestEndedTaskId(db: Database, ticker: string): Promise<string | undefined> {
  const [row] = await db
    .select({ taskId: tasks.taskId })
    .from(tasks)
    .where(and(eq(tasks.ticker, ticker), inArray(tasks.status, [...TERMINAL_TASK_STATES])))
    .orderBy(desc(tasks.createdAt), desc(tasks.taskId))
    .limit(1);
  return row?.taskId;
}
