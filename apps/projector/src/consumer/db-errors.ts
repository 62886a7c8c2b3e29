/**
 * Whether retrying can help. Syntax, undefined table/column and other class 42 / 3F errors mean
 * the schema is missing or wrong (run migrations); everything else (connection loss, deadlock,
 * serialization failure, shutdown, timeouts) is worth a nak and a retry.
 */
export function isPermanentDbError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^(42|3F)/.test(code);
}
