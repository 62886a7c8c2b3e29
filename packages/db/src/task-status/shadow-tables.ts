import type { Queryable } from '../raw-sql';
import { LIVE_TASK_TABLES, SHADOW_TASK_TABLES } from './table-names';

/**
 * Fresh shadow tables shaped like the live ones. Unlogged: they are scratch space a crashed
 * rebuild simply starts again, and skipping the WAL makes filling them cheaper.
 */
export async function createShadowTables(sql: Queryable): Promise<void> {
  await dropShadowTables(sql);
  for (const [shadow, live] of [
    [SHADOW_TASK_TABLES.tasks, LIVE_TASK_TABLES.tasks],
    [SHADOW_TASK_TABLES.filings, LIVE_TASK_TABLES.filings],
  ] as const) {
    await sql`create unlogged table ${sql(shadow)} (like ${sql(live)} including defaults including constraints including indexes)`;
  }
}

export async function dropShadowTables(sql: Queryable): Promise<void> {
  await sql`drop table if exists ${sql(SHADOW_TASK_TABLES.filings)}, ${sql(SHADOW_TASK_TABLES.tasks)}`;
}

/** Fresh statistics of the filled shadow tables (a new table has none), for the swap's plans. */
export async function analyzeShadowTables(sql: Queryable): Promise<void> {
  await sql`analyze ${sql(SHADOW_TASK_TABLES.tasks)}, ${sql(SHADOW_TASK_TABLES.filings)}`;
}
