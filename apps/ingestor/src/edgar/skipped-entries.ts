/**
 * Entries of an EDGAR answer left out for their shape, so that one odd entry costs only itself:
 * how many, and the first few (what one log line shows).
 */
export type SkippedEntries<T = string> = { count: number; samples: T[] };

/** How many left-out entries a log line shows. */
export const MAX_SKIPPED_SAMPLES = 3;

export function noneSkipped<T = string>(): SkippedEntries<T> {
  return { count: 0, samples: [] };
}

/** Counts one more entry left out, keeping it as a sample while there are fewer than MAX_SKIPPED_SAMPLES. */
export function noteSkipped<T>(skipped: SkippedEntries<T>, sample: T): void {
  skipped.count += 1;
  if (skipped.samples.length < MAX_SKIPPED_SAMPLES) skipped.samples.push(sample);
}
