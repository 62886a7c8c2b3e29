import type { JetStreamManager } from '@nats-io/jetstream';
import { INGEST_STREAM } from '@symbology/contracts';
import type { Batch, BatchEntry } from './batch-entry';

/**
 * Reads sequences `from`..`to` straight from the stream (direct get) when the durable has not
 * redelivered them in time. They are acked later, as duplicates, when the durable sends them.
 * A sequence the stream does not hold (never the case with deny_delete, but cheap to handle)
 * is stepped over.
 */
export async function fillGap(jsm: JetStreamManager, from: number, to: number): Promise<Batch> {
  const entries: BatchEntry[] = [];
  for (let seq = from; seq <= to; seq++) {
    const stored = await jsm.direct.getMessage(INGEST_STREAM, { seq });
    if (stored && stored.seq === seq)
      entries.push({ seq, subject: stored.subject, payload: stored.data, deliveries: [] });
  }
  return { entries, throughSeq: to };
}
