/** A pair of tables holding this projection: the live ones, or a rebuild's shadow copy. */
export type TaskTables = { tasks: string; filings: string };

export const LIVE_TABLES: TaskTables = { tasks: 'tasks', filings: 'task_filings' };
/** Unlogged copies a rebuild fills before swapping their rows into the live tables. */
export const SHADOW_TABLES: TaskTables = { tasks: 'tasks_rebuild', filings: 'task_filings_rebuild' };
