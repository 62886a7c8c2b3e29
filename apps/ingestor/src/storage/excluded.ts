import { sql, type SQL } from 'drizzle-orm';

/**
 * The `set` and `setWhere` of an idempotent upsert: take the incoming values, but only when one of
 * them differs. A rerun with the same data then writes nothing at all (no new row versions, no
 * moved `updated_at`), which is what "a rerun changes nothing" means on disk. `merged` replaces
 * the incoming value of a column with an SQL expression over `excluded` and the stored row (keep
 * a stored value the new answer lacks, say); the change test compares against it as well.
 */
export function upsertOnChange<K extends string>(
  table: string,
  columns: Record<K, string>,
  extraSet: Record<string, SQL> = {},
  merged: Partial<Record<K, string>> = {},
): { set: Record<string, SQL>; setWhere: SQL } {
  const entries = Object.entries(columns) as Array<[K, string]>;
  const incomingOf = ([property, column]: [K, string]) => merged[property] ?? `excluded."${column}"`;
  const set: Record<string, SQL> = { ...extraSet };
  for (const entry of entries) set[entry[0]] = sql.raw(incomingOf(entry));
  const current = entries.map(([, column]) => `"${table}"."${column}"`).join(', ');
  const incoming = entries.map(incomingOf).join(', ');
  return { set, setWhere: sql.raw(`(${current}) is distinct from (${incoming})`) };
}
