import type postgres from 'postgres';

/**
 * Anything that runs a query: a pool, a reserved connection or a transaction, from the plain
 * `postgres` driver or from `createDb` (its `db.$client`). Read models take this rather than a
 * drizzle database so the projector's plain client and web's drizzle one share the same code.
 */
export type Queryable = postgres.ISql;

/**
 * Array type oids, so that UNNEST gets typed arrays (nulls included) in one parameter each.
 * Timestamps travel as text[] of ISO strings for the statement's `::timestamptz[]` cast to
 * convert: drizzle's `$client` replaces the driver's timestamptz[] serializer with one that
 * passes a JS array through unencoded.
 */
export const PG_ARRAY = { text: 1009, int4: 1007, int8: 1016, timestamptz: 1009, uuid: 2951 } as const;
export type PgArrayType = keyof typeof PG_ARRAY;

/**
 * Builds the UNNEST columns of a multi-row statement: `column('uuid', (r) => r.taskId)` is the
 * picked value of every row as one typed array parameter.
 */
export function unnestColumns<R>(sql: Queryable, rows: readonly R[]) {
  return <T extends postgres.SerializableParameter>(type: PgArrayType, pick: (row: R) => T) =>
    sql.array(rows.map(pick), PG_ARRAY[type]);
}

/** `a, b, c` from fragments, for statements whose column lists are generated. */
export function joinFragments(sql: Queryable, fragments: readonly postgres.PendingQuery<postgres.Row[]>[]) {
  return fragments.reduce((list, next) => sql`${list}, ${next}`);
}

/** `(alias.a, alias.b, …)`: a row value to compare with `is distinct from` (null-safe). */
export function rowOf(
  sql: Queryable,
  alias: string,
  columns: readonly string[],
): postgres.PendingQuery<postgres.Row[]> {
  return sql`(${joinFragments(
    sql,
    columns.map((c) => sql`${sql(alias)}.${sql(c)}`),
  )})`;
}

/** `a = excluded.a, b = excluded.b, …`: the update of an upsert that takes every listed column. */
export function assignExcluded(sql: Queryable, columns: readonly string[]): postgres.PendingQuery<postgres.Row[]> {
  return joinFragments(
    sql,
    columns.map((c) => sql`${sql(c)} = excluded.${sql(c)}`),
  );
}
