import type { KV, KvEntry } from '@nats-io/kv';
import { isCasConflict } from '@symbology/service';

/** This holder's lease on a task was taken by another: it must stop before its next step. */
export class LeaseLost extends Error {
  override readonly name = 'LeaseLost';
}

/** What the lease entry holds: who has the task, and what its earlier deliveries left behind. */
type LeaseRecord = {
  holder: string;
  /** This delivery runs with nothing else in its process (consumer/isolation-gate.ts). */
  alone: boolean;
  /** Earlier deliveries that ran alone and whose process died under them. */
  diedAlone: number;
};

/** The delivery before this one never settled: its process died under it (or froze past ack_wait). */
export type Vanished = { ranAlone: boolean; diedAlone: number };

export type TaskLease = {
  /** Set when the previous delivery's holder took the lease and never gave it back. */
  readonly vanished: Vanished | undefined;
  /** Records that this delivery runs alone, after `diedAlone` earlier ones died so (written at once). */
  markAlone(diedAlone: number): Promise<void>;
  /** Renews the lease at the revision this holder last wrote; throws LeaseLost if another took it. */
  check(): Promise<void>;
  /** Gives the lease up (the delivery settled); a lease already taken by another is left alone. */
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
 *
 * Every delivery gives the lease back when it settles (ack, nak, hand-back), so a lease found still
 * held says the delivery before never settled: `vanished`, the sign of a crash (handle-request.ts).
 */
export async function takeLease(kv: KV, taskId: string, holder: string): Promise<TaskLease> {
  const taken = await take(kv, taskId, holder);
  const { vanished } = taken;
  let { revision, record } = taken;
  const write = async () => {
    try {
      revision = await kv.update(taskId, JSON.stringify(record), revision);
    } catch (error) {
      if (isCasConflict(error)) throw new LeaseLost(`task ${taskId} is held by another delivery now`, { cause: error });
      throw error;
    }
  };
  return {
    vanished,
    markAlone: async (diedAlone) => {
      record = { ...record, alone: true, diedAlone };
      await write();
    },
    check: write,
    release: async () => {
      await kv.delete(taskId, { previousSeq: revision }).catch((error: unknown) => {
        if (!isCasConflict(error)) throw error;
      });
    },
  };
}

async function take(
  kv: KV,
  taskId: string,
  holder: string,
): Promise<{ revision: number; record: LeaseRecord; vanished?: Vanished }> {
  for (let attempt = 1; ; attempt++) {
    const current = await kv.get(taskId);
    const vanished = current?.operation === 'PUT' ? vanishedFrom(current) : undefined;
    const record: LeaseRecord = { holder, alone: false, diedAlone: vanished?.diedAlone ?? 0 };
    try {
      // A released lease is a delete marker: updating at its revision takes it like any other.
      const revision = current
        ? await kv.update(taskId, JSON.stringify(record), current.revision)
        : await kv.create(taskId, JSON.stringify(record));
      return { revision, record, ...(vanished && { vanished }) };
    } catch (error) {
      // Another taker wrote between our read and our write: read again and take it after them.
      if (!isCasConflict(error) || attempt >= TAKE_ATTEMPTS) throw error;
    }
  }
}

/** The earlier holder's record; an entry written before records were JSON counts as not alone. */
function vanishedFrom(entry: KvEntry): Vanished {
  try {
    const { alone, diedAlone } = JSON.parse(entry.string()) as Partial<LeaseRecord>;
    const died = typeof diedAlone === 'number' ? diedAlone : 0;
    return { ranAlone: alone === true, diedAlone: alone === true ? died + 1 : died };
  } catch {
    return { ranAlone: false, diedAlone: 0 };
  }
}
