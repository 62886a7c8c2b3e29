import { setTimeout as sleep } from 'node:timers/promises';
import type { Queryable } from '@symbology/db';
import { backoffDelay, isBackendUnavailable } from '@symbology/service';
import postgres from 'postgres';

/** How long the lock session may take to confirm it still holds the lock before it counts as lost. */
const STILL_HELD_TIMEOUT_MS = 5_000;
const timeout = (ms: number) => sleep(ms).then(() => [] as { ok: boolean }[]);

/** Held while one live projector writes the task status tables. */
export const WRITER_LOCK = 'symbology:task-status-v1:writer';
/** Held while one rebuild runs. */
export const REBUILD_LOCK = 'symbology:task-status-v1:rebuild';

export type HeldLock = {
  /** The backend pid of the session that holds the lock: writes check it (see `advanceCheckpoint`). */
  readonly pid: number;
  /**
   * Asks the holding session whether it still holds the lock. False (or a throw) when the session
   * died (a Postgres restart, `pg_terminate_backend`): the lock is gone and another may hold it.
   */
  stillHeld(): Promise<boolean>;
  release(): Promise<void>;
};

/**
 * The `pg_locks` row of the session advisory lock `name` (one bigint key: objid holds its low 32
 * bits) in this database: pg_locks lists the whole server's, and another database on it (another
 * deployment, a test) may hold a lock of the same name.
 */
export const advisoryLockMatch = (sql: Queryable, name: string) =>
  sql`l.locktype = 'advisory' and l.granted and l.objid = (hashtext(${name})::bigint & 4294967295)::oid
    and l.database = (select oid from pg_database where datname = current_database())`;

/**
 * Tries once to take a session advisory lock on a client of its own: one connection, never
 * recycled (the pool's connections are closed after `max_lifetime`, which would drop the lock
 * unnoticed), and never shared (a reserved pool connection whose session died goes back to the
 * pool broken). Returns undefined when another session holds it.
 */
export async function tryAdvisoryLock(sql: postgres.Sql, name: string): Promise<HeldLock | undefined> {
  // What postgres.js does for its own LISTEN connection: the pool's settings, one connection, no timers.
  const pool = sql.options as unknown as postgres.Options<Record<string, never>>;
  const conn = postgres({ ...pool, max: 1, idle_timeout: 0, max_lifetime: 0, fetch_types: false });
  const end = () => conn.end({ timeout: 1 }).catch(() => {});
  try {
    const [row] = await conn<
      { ok: boolean; pid: number }[]
    >`select pg_try_advisory_lock(hashtext(${name})) as ok, pg_backend_pid() as pid`;
    if (!row?.ok) {
      await end();
      return undefined;
    }
    const pid = row.pid;
    // Once found dead, the session is not asked again: a new connection would be another session.
    let dead = false;
    let asking: Promise<boolean> | undefined;
    const askHeld = async () => {
      if (dead) return false;
      try {
        const query = conn<{ ok: boolean }[]>`
          select pg_backend_pid() = ${pid} and exists(
            select 1 from pg_locks l where l.pid = ${pid} and ${advisoryLockMatch(conn, name)}) as ok`;
        // A session that cannot answer within the bound cannot be trusted to hold the lock.
        const [held] = await Promise.race([query, timeout(STILL_HELD_TIMEOUT_MS)]);
        dead = held?.ok !== true;
      } catch {
        dead = true;
      }
      return !dead;
    };
    return {
      pid,
      stillHeld: () => (asking ??= askHeld().finally(() => (asking = undefined))),
      release: async () => {
        if (!dead) await conn`select pg_advisory_unlock(hashtext(${name}))`.catch(() => {});
        await end();
      },
    };
  } catch (error) {
    await end();
    throw error;
  }
}

/** Waits for the lock, polling so that a stop can interrupt the wait; undefined if aborted. */
export async function waitForAdvisoryLock(
  sql: postgres.Sql,
  name: string,
  options: { signal: AbortSignal; pollMs?: number; onBusy?: () => void; onUnavailable?: (error: unknown) => void },
): Promise<HeldLock | undefined> {
  let failures = 0;
  while (!options.signal.aborted) {
    let lock: HeldLock | undefined;
    try {
      lock = await tryAdvisoryLock(sql, name);
      failures = 0;
    } catch (error) {
      // Postgres down or restarting: keep standing by until it answers again, backing off.
      if (!isBackendUnavailable(error)) throw error;
      options.onUnavailable?.(error);
      failures++;
      await sleep(backoffDelay(failures, LOCK_RETRY), undefined, { signal: options.signal }).catch(() => {});
      continue;
    }
    if (lock) return lock;
    options.onBusy?.();
    await sleep(options.pollMs ?? 1_000, undefined, { signal: options.signal }).catch(() => {});
  }
  return undefined;
}

const LOCK_RETRY = { baseMs: 250, maxMs: 5_000 };

/** Who holds a lock (pid and application name), for a message an operator can act on. */
export async function lockHolder(sql: postgres.Sql, name: string): Promise<string | undefined> {
  const [row] = await sql<{ pid: number; app: string }[]>`
    select a.pid, a.application_name as app from pg_locks l join pg_stat_activity a on a.pid = l.pid
    where ${advisoryLockMatch(sql, name)}`;
  return row ? `pid ${row.pid} (${row.app || 'unnamed'})` : undefined;
}
