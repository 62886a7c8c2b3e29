import type { KV, KvEntry } from '@nats-io/kv';
import { isCasConflict } from '@symbology/service';
import { z } from 'zod';
import { EDGAR_MAX_DELAY_MS } from '../edgar/edgar-client';
import type { RequestLimiter } from '../edgar/request-limiter';
import { decideStart, type WindowPolicy } from './sliding-window';

/**
 * The shared value. Every time in it is the NATS server's clock: a slot's start is the server
 * timestamp of the KV write that took it (`created` of that entry), never a replica's Date.now().
 * - `slots`: [revision, server ms] of the grants before this entry, oldest first (at most `limit`);
 * - `granted`: this entry's own write took a slot (its `created` is a start);
 * - `pausedUntil`: nobody starts before this server time (a 429's Retry-After, shared);
 * - `pauseMs`: this entry asks for a pause from its own `created` (exact on the server's clock).
 */
const StateSchema = z.object({
  slots: z.array(z.tuple([z.number(), z.number()])).default([]),
  granted: z.boolean().default(false),
  pausedUntil: z.number().default(0),
  pauseMs: z.number().default(0),
});
type Slot = [revision: number, serverMs: number];
type Shared = {
  revision: number | undefined;
  slots: Slot[];
  pausedUntil: number;
  createdMs: number | undefined;
  /** The pause the value asked for, when it was longer than any replica writes and was cut short. */
  clampedFrom?: number;
};

export type KvLimiterOptions = {
  kv: KV;
  /** One key per rate-limited upstream; every replica must use the same. */
  key?: string;
  maxPerSecond: number;
  /**
   * Added to the one-second window: the longest a granted request may take from the write that
   * took its slot to reaching the upstream. A slot not used within half of it is given back.
   */
  marginMs?: number;
  /** This replica's clock. Only durations are read from it; the window is judged on the server's. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Called once per granted request with how long it waited, for the metrics. */
  onWait?: (waitMs: number) => void;
  /** Called when slots keep being taken too late to use (returned, not burnt): NATS is slow. */
  onSlowSlots?: (returned: number, writeMs: number) => void;
  /**
   * The longest pause any replica writes (EDGAR's Retry-After cap). A value pausing longer past its
   * own server stamp is cut to this: no replica wrote it, and honouring it would stop them all.
   */
  maxPauseMs?: number;
  /** Called once per such value, with the time it asked for and the time kept (server ms). */
  onClampedPause?: (pausedUntil: number, keptUntil: number) => void;
};

export type KvLimiter = RequestLimiter & { readonly policy: WindowPolicy };

/**
 * A sliding-window limiter shared by every ingestor replica through one KV value, judged on one
 * clock: the NATS server's. A replica takes a slot by a compare-and-set write; the server stamps
 * that write, and the stamp is the slot's start. It then checks, on stamps alone, that fewer than
 * `limit` starts fall in the window before its own (a replica whose clock is off only waits too
 * little or too long before trying; a slot taken too early is given back). A slot it cannot use at
 * once (a GC pause, slow NATS) is given back too, so late grants do not burn the budget. A 429 from
 * the upstream pauses every replica: `backOff` writes the pause into the same value.
 */
export function createKvLimiter(options: KvLimiterOptions): KvLimiter {
  const key = options.key ?? 'edgar';
  const marginMs = options.marginMs ?? 100;
  const policy: WindowPolicy = { limit: options.maxPerSecond, windowMs: 1000 + marginMs };
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  // Server time minus this replica's time, learnt from the stamps of our own writes.
  let offset: number | undefined;
  let returned = 0;
  // One acquire at a time per process: callers in one process would only race each other's CAS.
  let queue: Promise<void> = Promise.resolve();

  const maxPauseMs = options.maxPauseMs ?? EDGAR_MAX_DELAY_MS;
  let reported: number | undefined;
  const decoded = (entry: KvEntry | null): Shared => {
    const state = decode(entry, maxPauseMs);
    if (state.clampedFrom !== undefined && state.clampedFrom !== reported) {
      reported = state.clampedFrom;
      options.onClampedPause?.(state.clampedFrom, state.pausedUntil);
    }
    return state;
  };

  const read = async (): Promise<Shared> => decoded(await options.kv.get(key));

  const write = async (state: Omit<Shared, 'createdMs'>, fields: Partial<z.output<typeof StateSchema>>) => {
    const value = JSON.stringify({ slots: state.slots, pausedUntil: state.pausedUntil, ...fields });
    try {
      if (state.revision === undefined) return await options.kv.create(key, value);
      return await options.kv.update(key, value, state.revision);
    } catch (error) {
      // Someone else wrote the key since we read it (a create of an existing key fails the same way).
      if (isCasConflict(error)) return undefined;
      throw error;
    }
  };

  /** The server stamp of the write at `revision`: the entry itself, or the slot a later write carried. */
  const stampOf = async (revision: number): Promise<number | undefined> => {
    const entry = await options.kv.get(key);
    if (entry?.revision === revision) return entry.created.getTime();
    return decoded(entry).slots.find(([rev]) => rev === revision)?.[1];
  };

  /** Takes our slot out of the ring: we did not start, so it must not count against anyone. */
  const giveBack = async (revision: number): Promise<void> => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const state = await read();
      if (!state.slots.some(([rev]) => rev === revision)) return;
      const slots = state.slots.filter(([rev]) => rev !== revision);
      if (await write({ ...state, slots }, { granted: false })) return;
    }
    // Left in the ring, the slot only makes everyone a little more careful for one window.
  };

  const takeSlot = async (): Promise<void> => {
    const asked = now();
    for (;;) {
      const readAt = now();
      const state = await read();
      if (offset === undefined && state.createdMs !== undefined) offset = state.createdMs - readAt;
      const serverNow = now() + (offset ?? 0);
      if (state.pausedUntil > serverNow) {
        await sleep(state.pausedUntil - serverNow);
        continue;
      }
      const times = state.slots.map(([, at]) => at);
      const estimate = decideStart(times, serverNow, policy);
      if (!estimate.grant) {
        await sleep(estimate.waitMs);
        continue;
      }
      const sentAt = now();
      const revision = await write({ ...state, slots: state.slots.slice(-(policy.limit - 1)) }, { granted: true });
      if (revision === undefined) continue;
      const ackedAt = now();
      const stamp = await stampOf(revision);
      if (stamp === undefined) continue; // not found (cannot happen within a window): take another
      offset = stamp - (sentAt + ackedAt) / 2;
      // The verdict, on the server's clock alone: did fewer than `limit` start in the window before it?
      const verdict = decideStart(times, stamp, policy);
      if (!verdict.grant) {
        await giveBack(revision);
        continue;
      }
      // The request starts now. If that is longer after the write than the margin allows, the ring
      // would understate when it began: give the slot back and take a fresh one.
      const lateBy = now() - sentAt;
      if (lateBy > marginMs / 2) {
        await giveBack(revision);
        if (++returned % 5 === 0) options.onSlowSlots?.(returned, lateBy);
        continue;
      }
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
    async backOff(ms: number) {
      // Written as a pause from this write's own server stamp, kept if a longer one is in force.
      for (let attempt = 0; attempt < 10; attempt++) {
        const state = await read();
        if (await write(state, { granted: false, pauseMs: ms })) return;
      }
    },
  };
}

/**
 * The shared state in one entry. A pause reaches at most `maxPauseMs` past the entry's own server
 * stamp: a later write copies what it read, so a longer one (written by hand, or by a bug) would
 * otherwise never go away, and a sleep past 2^31-1 ms is cut to 1 ms by Node, a hot loop of reads.
 */
function decode(entry: KvEntry | null, maxPauseMs: number): Shared {
  if (!entry || entry.operation !== 'PUT') {
    return { revision: entry?.revision, slots: [], pausedUntil: 0, createdMs: undefined };
  }
  const createdMs = entry.created.getTime();
  const state = parseState(entry.string());
  const slots = state.granted ? [...state.slots, [entry.revision, createdMs] as Slot] : state.slots;
  const asked = Math.max(state.pausedUntil, state.pauseMs > 0 ? createdMs + state.pauseMs : 0);
  const pausedUntil = Math.min(asked, createdMs + maxPauseMs);
  return {
    revision: entry.revision,
    slots,
    pausedUntil,
    createdMs,
    ...(asked > pausedUntil && { clampedFrom: asked }),
  };
}

function parseState(text: string): z.output<typeof StateSchema> {
  try {
    const parsed = StateSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  // An unreadable value is replaced by the next write; refusing to start forever would be worse.
  return { slots: [], granted: false, pausedUntil: 0, pauseMs: 0 };
}
