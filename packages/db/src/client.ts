import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index';

export type Database = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql };

export type DbOptions = {
  /** Pool size; migrations use 1. */
  max?: number;
  /** Name shown in pg_stat_activity, so an operator can tell the services apart. */
  applicationName?: string;
  /**
   * Server-side cap on one statement (`statement_timeout`), and on a transaction left idle
   * (`idle_in_transaction_session_timeout`); none unless given (migrations may run long).
   */
  statementTimeoutMs?: number;
};

/** A connection attempt that has not finished its startup by then fails (the driver's default is 30 s). */
export const CONNECT_TIMEOUT_S = 10;
/**
 * The longest pause between reconnection attempts while Postgres is down. The driver's own backoff
 * grows to 20 s, which is how long a service could stay idle after Postgres came back.
 */
export const MAX_RECONNECT_DELAY_S = 2;

/** How every Postgres client of the services connects and reconnects: bounded, so none idles long after an outage. */
export const CONNECTION_BOUNDS = {
  connect_timeout: CONNECT_TIMEOUT_S,
  // The driver's schedule (3^n / 100 s, jittered), capped.
  backoff: (retries: number) => Math.min(3 ** retries / 100, MAX_RECONNECT_DELAY_S) * (0.5 + Math.random() / 2),
};

/**
 * A drizzle database on the `postgres` driver; close it with `db.$client.end()`.
 * drizzle replaces the driver's value serializers on `$client`: raw queries through it must pass
 * timestamps as ISO strings, not Date objects. Code that mostly writes raw SQL (the projector's
 * UNNEST upserts) is clearer on its own plain `postgres` client.
 */
export function createDb(url: string, options: DbOptions = {}): Database {
  const timeouts =
    options.statementTimeoutMs === undefined
      ? {}
      : {
          statement_timeout: options.statementTimeoutMs,
          idle_in_transaction_session_timeout: options.statementTimeoutMs,
        };
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    ...CONNECTION_BOUNDS,
    connection: { application_name: options.applicationName ?? 'symbology', ...timeouts },
  });
  return drizzle(sql, { schema, casing: 'snake_case' }) as Database;
}
