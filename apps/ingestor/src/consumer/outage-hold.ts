import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay } from '@symbology/service';

/** INGEST_OUTAGE_HOLD_MS's default: a database restart or failover, with room to spare. */
export const DEFAULT_OUTAGE_HOLD_MS = 15 * 60_000;

/**
 * The pause before each probe: soon after a blip, at most a few seconds once the database is back.
 * It keeps growing across the holds of one delivery, so a database that answers `select 1` yet
 * fails the task the same way (a full disk) is not retried at a faster pace.
 */
const PROBE_BACKOFF = { baseMs: 250, maxMs: 5_000, jitter: 'equal' } as const;
/** A probe not answered by then counts as unanswered. */
export const PROBE_TIMEOUT_MS = 2_000;

export type OutageHoldOptions = {
  /** The longest one delivery is held, all its holds together. */
  maxMs: number;
  /** Settles once the database answers; rejects while it does not (a `select 1`). */
  probe: () => Promise<unknown>;
  /** Aborted when the replica drains: the hold ends at once, for the request to be handed back. */
  drain?: AbortSignal | undefined;
  now?: () => number;
};

/** How a hold ended: the database answers again, the hold's bound passed, or the replica drains. */
export type HoldEnd = { kind: 'answered' | 'expired' | 'handed_back'; heldMs: number };

export type OutageHold = {
  /** The latest this delivery's holds last, all together (ms since the epoch); fixed by the first hold. */
  until(): number;
  /** Waits, probing with backoff, until the database answers, the bound passes or a drain starts. */
  waitForDatabase(): Promise<HoldEnd>;
};

/**
 * The hold of one delivery through a Postgres outage. Nothing is fetched while it waits (the
 * handler announces the hold once, as an IngestDelayed of kind `held`): the worker is simply busy, so with every worker held no new request is pulled (they wait
 * on the stream, undelivered, and their delivery counts do not grow).
 */
export function outageHold(options: OutageHoldOptions): OutageHold {
  const now = options.now ?? Date.now;
  let deadline: number | undefined;
  let probes = 0;
  const until = () => (deadline ??= now() + options.maxMs);
  return {
    until,
    waitForDatabase: async () => {
      const started = now();
      const endsAt = until();
      const end = (kind: HoldEnd['kind']): HoldEnd => ({ kind, heldMs: now() - started });
      for (;;) {
        const left = endsAt - now();
        if (left <= 0) return end('expired');
        const pause = Math.min(left, backoffDelay(++probes, PROBE_BACKOFF));
        const slept = await sleep(pause, true, { signal: options.drain }).catch(() => false);
        if (!slept || options.drain?.aborted) return end('handed_back');
        if (await answers(options.probe, options.drain)) return end('answered');
      }
    },
  };
}

/** False when the probe fails, takes longer than PROBE_TIMEOUT_MS, or a drain starts meanwhile. */
function answers(probe: () => Promise<unknown>, drain: AbortSignal | undefined): Promise<boolean> {
  const unanswered = sleep(PROBE_TIMEOUT_MS, false, { signal: drain, ref: false }).catch(() => false);
  return Promise.race([
    probe().then(
      () => true,
      () => false,
    ),
    unanswered,
  ]);
}
