/**
 * Retry-After is either delta-seconds ("120") or an HTTP date; anything else is ignored. (The wait
 * between attempts itself is `backoffDelay` from @symbology/service, with full jitter.)
 */
export function parseRetryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
