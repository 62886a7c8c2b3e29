// No imports on purpose: browser code (the web app's tRPC links) loads this file through the
// `@symbology/service/backoff` subpath, so it must not pull Node or NATS modules into a bundle.

/**
 * - `none`: exactly the exponential step (a retry schedule a test or an operator can predict).
 * - `full`: a random wait between 0 and the step ("full jitter"): spreads the retries of many
 *   replicas that failed together, at the price of sometimes retrying at once.
 * - `equal`: between half the step and the step: spread, yet never sooner than half.
 */
export type Jitter = 'none' | 'full' | 'equal';

export type BackoffOptions = {
  /** The wait before the first retry (attempt 1), before jitter. */
  baseMs: number;
  /** No wait is longer than this, whatever the attempt. */
  maxMs: number;
  jitter?: Jitter;
  /** A number in [0, 1); tests pass a fixed one. */
  random?: () => number;
};

/** Past 2^52 the product is no longer exact and soon Infinity (and 0 * Infinity is NaN). */
const MAX_EXPONENT = 52;

/**
 * The wait before retry number `attempt` (1 for the first retry): `baseMs * 2^(attempt - 1)`,
 * capped at `maxMs`, then jittered. An attempt below 1 counts as 1.
 */
export function backoffDelay(
  attempt: number,
  { baseMs, maxMs, jitter = 'none', random = Math.random }: BackoffOptions,
): number {
  const exponent = Math.min(MAX_EXPONENT, Math.max(0, Math.floor(attempt) - 1));
  const step = Math.min(maxMs, baseMs * 2 ** exponent);
  switch (jitter) {
    case 'none':
      return step;
    case 'full':
      return Math.floor(random() * step);
    case 'equal':
      return Math.floor(step / 2 + random() * (step / 2));
    default: {
      const unknown: never = jitter;
      throw new Error(`unknown jitter ${String(unknown)}`);
    }
  }
}
