/**
 * "Full jitter" exponential backoff: a random wait between 0 and base * 2^(attempt-1), capped.
 * Randomising the whole interval spreads the retries of many replicas that failed together.
 */
export function backoffDelayMs(
  attempt: number,
  { baseDelayMs, maxDelayMs, random }: { baseDelayMs: number; maxDelayMs: number; random: () => number },
): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Retry-After is either delta-seconds ("120") or an HTTP date; anything else is ignored. */
export function parseRetryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
