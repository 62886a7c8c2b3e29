import { DeliverPolicy, type JetStreamClient, type OrderedConsumerOptions } from '@nats-io/jetstream';
import { INGEST_STREAM, INGEST_SUBJECTS, type StreamEntry } from '@symbology/contracts';
import { PULL_EXPIRES_MS } from '@symbology/service';

export type ReadRangeOptions = {
  fromSeq: number;
  /** Last sequence wanted; the read stops at it (or at the last message matching the filter). */
  toSeq: number;
  /** A subject filter, e.g. `ingest.<taskId>.>`; the whole stream when omitted. */
  filter?: string;
  /** Subjects without payloads: a cheap scan of which tasks a range touches. */
  headersOnly?: boolean;
  /** Most entries per yielded chunk. */
  chunk?: number;
  /** Fail rather than wait forever when the server stops delivering. */
  stallMs?: number;
};

/**
 * Replays part of the stream with an ordered consumer (no acks, recreated by the client on a gap),
 * yielding entries in stream order in chunks. The caller must know the range holds a message:
 * an ordered consumer over nothing waits for the future.
 */
export async function* readRange(js: JetStreamClient, options: ReadRangeOptions): AsyncGenerator<StreamEntry[]> {
  const { fromSeq, toSeq } = options;
  if (fromSeq > toSeq) return;
  const config: Partial<OrderedConsumerOptions> = {
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: fromSeq,
    headers_only: options.headersOnly ?? false,
    // Always a filter, and a single one: nats.conf lets the replaying roles create only consumers
    // whose filter is in the create subject (`$JS.API.CONSUMER.CREATE.INGEST.<name>.<filter>`).
    filter_subjects: options.filter ?? INGEST_SUBJECTS,
  };
  const consumer = await js.consumers.get(INGEST_STREAM, config);
  const messages = await consumer.consume({ max_messages: 4_096, expires: PULL_EXPIRES_MS });
  const chunk = options.chunk ?? 2_000;
  const stallMs = options.stallMs ?? 15_000;
  let stalled = false;
  let timer = setTimeout(() => {}, 0);
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      void messages.close();
    }, stallMs);
  };
  arm();
  let buffer: StreamEntry[] = [];
  let done = false;
  try {
    for await (const m of messages) {
      arm();
      if (m.seq > toSeq) break;
      buffer.push({ seq: m.seq, subject: m.subject, payload: m.data });
      done = m.seq >= toSeq || m.info.pending === 0;
      if (done || buffer.length >= chunk || messages.getPending() === 0) {
        yield buffer;
        buffer = [];
      }
      if (done) break;
    }
  } finally {
    clearTimeout(timer);
    await messages.close();
  }
  if (buffer.length > 0) yield buffer;
  if (stalled && !done)
    throw new Error(`replay of ${INGEST_STREAM} from seq ${fromSeq} stalled: no message for ${stallMs} ms`);
}
