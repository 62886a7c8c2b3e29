import { getTableName } from 'drizzle-orm';
import { taskFilings, tasks } from './tables';

/** A pair of tables holding the task-status read model: the live ones, or a rebuild's shadow copy. */
export type TaskTables = { tasks: string; filings: string };

export const LIVE_TASK_TABLES: TaskTables = { tasks: getTableName(tasks), filings: getTableName(taskFilings) };

/** Unlogged copies a rebuild fills before swapping their rows into the live tables. */
export const SHADOW_TASK_TABLES: TaskTables = {
  tasks: `${LIVE_TASK_TABLES.tasks}_rebuild`,
  filings: `${LIVE_TASK_TABLES.filings}_rebuild`,
};
