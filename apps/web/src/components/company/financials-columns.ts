/**
 * The table's year columns, newest first: on a narrow screen the table scrolls sideways and the
 * years one sees without scrolling should be the latest (as in a 10-K itself), not the oldest.
 */
export function newestFirst<T extends { fiscalYear: number }>(years: readonly T[]): T[] {
  return [...years].sort((a, b) => b.fiscalYear - a.fiscalYear);
}
