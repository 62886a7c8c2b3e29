/** The SQLSTATE of a Postgres error (`22P05`), or undefined for anything else (a connection error). */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * Whether retrying can help. Syntax, undefined table/column and other class 42 / 3F errors mean
 * the schema is missing or wrong (run migrations); everything else (connection loss, deadlock,
 * serialization failure, shutdown, timeouts) is worth a nak and a retry.
 */
export function isPermanentDbError(error: unknown): boolean {
  return /^(42|3F)/.test(sqlState(error) ?? '');
}

/**
 * A refusal of the data itself, which the same statement with the same values will meet again:
 * class 22 (data exception: a NUL in text `22P05`, invalid encoding `22021`, a value out of range),
 * 23 (integrity constraint) and 54 (program limit: a row or array too large).
 */
export function isDataDbError(error: unknown): boolean {
  return /^(22|23|54)/.test(sqlState(error) ?? '');
}
