import type postgres from 'postgres';

/** Anything that runs a query: the pool, a reserved connection, or a transaction. */
export type Queryable = postgres.ISql;

/** Array type oids, so that UNNEST gets typed arrays (nulls included) in one parameter each. */
export const PG_ARRAY = { text: 1009, int4: 1007, int8: 1016, timestamptz: 1185, uuid: 2951 } as const;

/**
 * Builds the UNNEST columns of a multi-row statement: `column('uuid', (r) => r.taskId)` is the
 * picked value of every row as one typed array parameter.
 */
export function unnestColumns<R>(sql: Queryable, rows: readonly R[]) {
  return <T extends postgres.SerializableParameter>(type: keyof typeof PG_ARRAY, pick: (row: R) => T) =>
    sql.array(rows.map(pick), PG_ARRAY[type]);
}
