/**
 * SQLSTATE classes that mean "Postgres refuses this data", not "Postgres is unwell": 22 (data
 * exception: 22021 invalid byte sequence, 22P05 untranslatable character, 22001 string too long,
 * 22008 date out of range, 22003 numeric out of range, ...) and 54 (program limit exceeded: a value
 * too large for an index row). Storing the same bytes again fails the same way, so such an error is
 * the part's (or the filing's) failure, never a reason to retry the task. Class 23 (constraint
 * violations) is left out on purpose: the ingestor's upserts cannot raise one from EDGAR's data, so
 * one would be our own bug and should stay loud.
 */
const DATA_ERROR_CLASSES = new Set(['22', '54']);

/** The SQLSTATE of a database error that the data itself caused, or undefined for any other error. */
export function dataErrorCode(error: unknown): string | undefined {
  // drizzle wraps the driver's PostgresError; the SQLSTATE is on the innermost one that has it.
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      return DATA_ERROR_CLASSES.has(code.slice(0, 2)) ? code : undefined;
    }
  }
  return undefined;
}
