import { setTimeout as sleep } from 'node:timers/promises';
import type postgres from 'postgres';

/** Held while one live projector writes the task status tables. */
export const WRITER_LOCK = 'symbology:task-status-v1:writer';
/** Held while one rebuild runs. */
export const REBUILD_LOCK = 'symbology:task-status-v1:rebuild';

export type HeldLock = { release(): Promise<void> };

/**
 * Tries once to take a session advisory lock on a connection of its own (the lock lives as long
 * as that connection does). Returns undefined when another session holds it.
 */
export async function tryAdvisoryLock(sql: postgres.Sql, name: string): Promise<HeldLock | undefined> {
  const conn = await sql.reserve();
  try {
    const [row] = await conn<{ ok: boolean }[]>`select pg_try_advisory_lock(hashtext(${name})) as ok`;
    if (row?.ok) {
      return {
        release: async () => {
          await conn`select pg_advisory_unlock(hashtext(${name}))`.catch(() => {});
          conn.release();
        },
      };
    }
  } catch (error) {
    conn.release();
    throw error;
  }
  conn.release();
  return undefined;
}

/** Waits for the lock, polling so that a stop can interrupt the wait; undefined if aborted. */
export async function waitForAdvisoryLock(
  sql: postgres.Sql,
  name: string,
  options: { signal: AbortSignal; pollMs?: number; onBusy?: () => void },
): Promise<HeldLock | undefined> {
  while (!options.signal.aborted) {
    const lock = await tryAdvisoryLock(sql, name);
    if (lock) return lock;
    options.onBusy?.();
    await sleep(options.pollMs ?? 1_000, undefined, { signal: options.signal }).catch(() => {});
  }
  return undefined;
}

/** Who holds a lock (pid and application name), for a message an operator can act on. */
export async function lockHolder(sql: postgres.Sql, name: string): Promise<string | undefined> {
  const [row] = await sql<{ pid: number; app: string }[]>`
    select a.pid, a.application_name as app from pg_locks l join pg_stat_activity a on a.pid = l.pid
    where l.locktype = 'advisory' and l.granted and l.objid = (hashtext(${name})::bigint & 4294967295)::oid`;
  return row ? `pid ${row.pid} (${row.app || 'unnamed'})` : undefined;
}
