import type { KV } from '@nats-io/kv';
import { isCasConflict } from '@symbology/service';

/** This holder's lease on a task was taken by another: it must stop before its next step. */
export class LeaseLost extends Error {
  override readonly name = 'LeaseLost';
}

export type TaskLease = {
  /** Renews the lease at the revision this holder last wrote; throws LeaseLost if another took it. */
  check(): Promise<void>;
  /** Gives the lease up (the task is over); a lease already taken by another is left alone. */
  release(): Promise<void>;
};

const TAKE_ATTEMPTS = 5;

/**
 * Fencing for the one case where two deliveries of one request run at once: a holder cut off from
 * NATS (or frozen) for longer than ack_wait, whose `working()` heartbeats could not reach the
 * server, while the server redelivers the request to another replica. The lease is the KV entry
 * `taskId -> holder` in `ingest_leases`. Whoever has the delivery in hand takes it unconditionally
 * (the delivery is the server's word that the earlier holder is gone), and renews it with a
 * compare-and-set before each step it publishes: the stale holder's next renewal fails on the
 * revision the new holder wrote, and it stops there. Events keep deterministic ids, so the one
 * step a stale holder may have published in between is a dropped duplicate.
 */
export async function takeLease(kv: KV, taskId: string, holder: string): Promise<TaskLease> {
  let revision = await take(kv, taskId, holder);
  return {
    check: async () => {
      try {
        revision = await kv.update(taskId, holder, revision);
      } catch (error) {
        if (isCasConflict(error))
          throw new LeaseLost(`task ${taskId} is held by another delivery now`, { cause: error });
        throw error;
      }
    },
    release: async () => {
      await kv.delete(taskId, { previousSeq: revision }).catch((error: unknown) => {
        if (!isCasConflict(error)) throw error;
      });
    },
  };
}

async function take(kv: KV, taskId: string, holder: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const current = await kv.get(taskId);
    try {
      // A released lease is a delete marker: updating at its revision takes it like any other.
      return current ? await kv.update(taskId, holder, current.revision) : await kv.create(taskId, holder);
    } catch (error) {
      // Another taker wrote between our read and our write: read again and take it after them.
      if (!isCasConflict(error) || attempt >= TAKE_ATTEMPTS) throw error;
    }
  }
}
