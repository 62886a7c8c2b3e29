/**
 * A token bucket per client, in memory: the ingestion requests' limit (ingest/admission.ts) and
 * every call's (call-rate.ts). Each web node limits its own clients: behind a load balancer with
 * sticky sessions that is the per-client limit; without them it is N times looser, which is
 * acceptable for a guard against a runaway tab or script (EDGAR's real limit is in the ingestor).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
    private readonly maxClients = 100_000,
  ) {}

  /** Takes one token; returns 0 when allowed, else the milliseconds until a token is free. */
  take(clientId: string): number {
    const now = this.now();
    const refillPerMs = this.perMinute / 60_000;
    const bucket = this.buckets.get(clientId) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * refillPerMs);
    bucket.at = now;
    // Re-insert so the Map's order is least-recently-used first, for eviction below.
    this.buckets.delete(clientId);
    this.buckets.set(clientId, bucket);
    if (this.buckets.size > this.maxClients) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / refillPerMs);
  }
}
