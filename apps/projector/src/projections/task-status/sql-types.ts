import type postgres from 'postgres';

/** Anything that runs a query: the pool, a reserved connection, or a transaction. */
export type Queryable = postgres.ISql;

/** Array type oids, so that UNNEST gets typed arrays (nulls included) in one parameter each. */
export const PG_ARRAY = { text: 1009, int4: 1007, int8: 1016, timestamptz: 1185, uuid: 2951 } as const;
