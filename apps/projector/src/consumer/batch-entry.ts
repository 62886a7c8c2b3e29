import type { JsMsg } from '@nats-io/jetstream';
import type { StreamEntry } from '@symbology/contracts';

/** A stream entry ready to fold, with every delivery of it to ack once it is committed. */
export type BatchEntry = StreamEntry & { deliveries: JsMsg[] };

export type Batch = {
  entries: BatchEntry[];
  /** The checkpoint after this batch: its last sequence (a gap the stream no longer holds included). */
  throughSeq: number;
};
