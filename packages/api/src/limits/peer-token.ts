import type { ApiMetrics, RefusalReason } from '../metrics';
import { peerKey } from './peer-key';
import type { RateLimiter } from './rate-limiter';

/**
 * Takes a token from `peer`'s bucket of `limiter`: 0 when admitted, else how long (ms) the peer
 * must wait, the refusal counted under `reason`. Keyed on the network peer, which a client cannot
 * choose (a fresh `x-client-id` or a forged `X-Forwarded-For` per request must not buy a fresh
 * bucket; an IPv6 peer counts by its /64). No limiter: always admitted.
 */
export function takePeerToken(
  limiter: RateLimiter | undefined,
  peer: string | undefined,
  metrics: Pick<ApiMetrics, 'refused'>,
  reason: RefusalReason,
): number {
  const wait = limiter?.take(peerKey(peer)) ?? 0;
  if (wait > 0) metrics.refused.inc({ reason });
  return wait;
}

/** "try again in N s", whole seconds rounded up, for a refusal that says when. */
export function tryAgainIn(waitMs: number): string {
  return `try again in ${Math.ceil(waitMs / 1000)} s`;
}
