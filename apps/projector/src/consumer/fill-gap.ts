import type { JetStreamManager } from '@nats-io/jetstream';
import { INGEST_STREAM } from '@symbology/contracts';
import { isNoMessageFound } from '@symbology/service';
import type { Batch, BatchEntry } from './batch-entry';

export type GapRead = Batch & {
  /** Sequences the stream no longer holds (below its first sequence, or deleted): stepped over. */
  skipped: number[];
};

/**
 * Reads sequences `from`..`to` from the stream when the durable has not redelivered them in time.
 * They are acked later, as duplicates, when the durable sends them. Each is read from the stream
 * leader (`$JS.API.STREAM.MSG.GET`), not by direct get, which any replica may answer, a lagging
 * one with "no message". A sequence the leader does not return is stepped over only when the
 * stream's state says it no longer holds it (below first_seq, or in its deleted list); otherwise
 * the read stops before it and the rest is tried again later.
 */
export async function fillGap(jsm: JetStreamManager, from: number, to: number): Promise<GapRead> {
  const entries: BatchEntry[] = [];
  const skipped: number[] = [];
  for (let seq = from; seq <= to; seq++) {
    const stored = await jsm.streams.getMessage(INGEST_STREAM, { seq }).catch((error: unknown) => {
      if (isNoMessageFound(error)) return undefined;
      throw error;
    });
    if (stored && stored.seq === seq) {
      entries.push({ seq, subject: stored.subject, payload: stored.data, deliveries: [] });
      continue;
    }
    if (await noLongerHeld(jsm, seq)) {
      skipped.push(seq);
      continue;
    }
    return { entries, skipped, throughSeq: seq - 1 };
  }
  return { entries, skipped, throughSeq: to };
}

async function noLongerHeld(jsm: JetStreamManager, seq: number): Promise<boolean> {
  const info = await jsm.streams.info(INGEST_STREAM, { deleted_details: true });
  return seq < info.state.first_seq || (info.state.deleted ?? []).includes(seq);
}
