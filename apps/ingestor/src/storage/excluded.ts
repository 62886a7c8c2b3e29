import { sql, type SQL } from 'drizzle-orm';

/**
 * The `set` and `setWhere` of an idempotent upsert: take the incoming values, but only when one of
 * them differs. A rerun with the same data then writes nothing at all (no new row versions, no
 * moved `updated_at`), which is what "a rerun changes nothing" means on disk.
 */
export function upsertOnChange<K extends string>(
  table: string,
  columns: Record<K, string>,
  extraSet: Record<string, SQL> = {},
): { set: Record<string, SQL>; setWhere: SQL } {
  const entries = Object.entries(columns) as Array<[K, string]>;
  const set: Record<string, SQL> = { ...extraSet };
  for (const [property, column] of entries) set[property] = sql.raw(`excluded."${column}"`);
  const current = entries.map(([, column]) => `"${table}"."${column}"`).join(', ');
  const incoming = entries.map(([, column]) => `excluded."${column}"`).join(', ');
  return { set, setWhere: sql.raw(`(${current}) is distinct from (${incoming})`) };
}
