import type { KV } from '@nats-io/kv';
import { isCasConflict } from '@symbology/service';
import { z } from 'zod';
import type { RequestLimiter } from '../edgar/request-limiter';
import { decideStart, type WindowPolicy } from './sliding-window';

const RingSchema = z.object({ starts: z.array(z.number()) });

export type KvLimiterOptions = {
  kv: KV;
  /** One key per rate-limited upstream; every replica must use the same. */
  key?: string;
  maxPerSecond: number;
  /**
   * Added to the one-second window. It covers what a start time read on one clock cannot: skew
   * between the replicas' clocks and the gap between taking a slot and the request reaching SEC.
   */
  marginMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Called once per granted request with how long it waited, for the metrics. */
  onWait?: (waitMs: number) => void;
  /** Called when slots keep being taken too late to use: NATS is slower than the margin allows. */
  onSlowSlots?: (burned: number, casMs: number) => void;
};

export type KvLimiter = RequestLimiter & { readonly policy: WindowPolicy };

/**
 * A sliding-window limiter shared by every ingestor replica through one KV value: the ring of the
 * last N request start times, changed only by compare-and-set on its revision. A replica that loses
 * the race reads again; nobody starts a request without having written its start into the ring.
 */
export function createKvLimiter(options: KvLimiterOptions): KvLimiter {
  const key = options.key ?? 'edgar';
  const marginMs = options.marginMs ?? 100;
  const policy: WindowPolicy = { limit: options.maxPerSecond, windowMs: 1000 + marginMs };
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  // One acquire at a time per process: callers in one process would only race each other's CAS.
  let queue: Promise<void> = Promise.resolve();

  // Expected time from reading the clock to owning a slot (one KV read + one CAS), so the start
  // written into the ring is when the request will really begin, not when we asked.
  let casMs = 5;

  const takeSlot = async (): Promise<void> => {
    const asked = now();
    for (let burned = 0; ;) {
      const entry = await options.kv.get(key);
      const ring = entry && entry.operation === 'PUT' ? parseRing(entry.string()) : [];
      const read = now();
      const plannedStart = read + Math.ceil(casMs);
      const decision = decideStart(ring, plannedStart, policy);
      if (!decision.grant) {
        await sleep(decision.waitMs);
        continue;
      }
      const written = await compareAndSet(options.kv, key, JSON.stringify({ starts: decision.ring }), entry?.revision);
      const after = now();
      casMs = 0.8 * casMs + 0.2 * (after - read);
      if (!written) continue;
      // Stalled past the planned start (a GC pause, a long JSON parse, a slow NATS): the start we
      // wrote is earlier than the request would be, so leave that slot unused and take a fresh one.
      if (after - plannedStart > marginMs / 2) {
        if (++burned % 5 === 0) options.onSlowSlots?.(burned, casMs);
        continue;
      }
      if (plannedStart > after) await sleep(plannedStart - after);
      options.onWait?.(now() - asked);
      return;
    }
  };

  return {
    policy,
    acquire() {
      const turn = queue.then(takeSlot);
      queue = turn.catch(() => {});
      return turn;
    },
  };
}

function parseRing(text: string): number[] {
  try {
    const parsed = RingSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.starts : [];
  } catch {
    // An unreadable ring is replaced by the next write; refusing to start forever would be worse.
    return [];
  }
}

async function compareAndSet(kv: KV, key: string, value: string, revision: number | undefined): Promise<boolean> {
  try {
    if (revision === undefined) await kv.create(key, value);
    else await kv.update(key, value, revision);
    return true;
  } catch (error) {
    // Someone else wrote the key since we read it (a create of an existing key fails the same way).
    if (isCasConflict(error)) return false;
    throw error;
  }
}
