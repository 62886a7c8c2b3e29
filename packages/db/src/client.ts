import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index';

export type Database = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql };

export type DbOptions = {
  /** Pool size; migrations use 1. */
  max?: number;
  /** Name shown in pg_stat_activity, so an operator can tell the services apart. */
  applicationName?: string;
};

/**
 * A drizzle database on the `postgres` driver; close it with `db.$client.end()`.
 * drizzle replaces the driver's value serializers on `$client`: raw queries through it must pass
 * timestamps as ISO strings, not Date objects. Code that mostly writes raw SQL (the projector's
 * UNNEST upserts) is clearer on its own plain `postgres` client.
 */
export function createDb(url: string, options: DbOptions = {}): Database {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? 'symbology' },
  });
  return drizzle(sql, { schema, casing: 'snake_case' }) as Database;
}
