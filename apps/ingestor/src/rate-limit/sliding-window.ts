/**
 * The pure core of the shared EDGAR limiter: a ring of the last `limit` request start times
 * (ms since the epoch, oldest first). A new request may start at `now` only when fewer than
 * `limit` starts fall inside the last `windowMs`, so no window of that length, wherever it
 * begins, ever holds more than `limit` starts. A per-second bucket would allow 2 x limit in a
 * second that straddles two buckets; this does not.
 */
export type WindowPolicy = {
  /** Requests allowed to start in any one window. */
  limit: number;
  /** The window, padded with a safety margin for clock skew and the gap between grant and send. */
  windowMs: number;
};

export type WindowDecision = { grant: true; ring: number[] } | { grant: false; waitMs: number };

export function decideStart(ring: readonly number[], now: number, policy: WindowPolicy): WindowDecision {
  const live = liveStarts(ring, now, policy.windowMs);
  if (live.length < policy.limit) {
    return { grant: true, ring: [...live, now].slice(-policy.limit) };
  }
  // The `limit`-th most recent start has to leave the window before anyone may start.
  const blocking = live[live.length - policy.limit] ?? now;
  return { grant: false, waitMs: Math.max(1, blocking + policy.windowMs - now) };
}

/**
 * Starts still inside the window, sorted. A start more than one window in the future can only
 * come from a replica whose clock jumped; honouring it would stall every replica, so it is dropped.
 */
export function liveStarts(ring: readonly number[], now: number, windowMs: number): number[] {
  return ring.filter((t) => t > now - windowMs && t <= now + windowMs).sort((a, b) => a - b);
}
