import { INGEST_STREAM, parseEvent, subjects, type IngestEvent } from '@symbology/contracts';
import type { TrpcContext } from '../context';
import { describeEvent } from './describe-event';

export type TaskEventView = {
  seq: number;
  type: string;
  occurredAt: string | null;
  summary: string;
  /** The filing a per-filing event is about (the task page times each filing with it); null otherwise. */
  accession: string | null;
};

const accessionOf = (event: IngestEvent): string | null =>
  'accession' in event.data && typeof event.data.accession === 'string' ? event.data.accession : null;

const MAX_EVENTS = 200;

/**
 * A task's events, read from the stream (the source of truth) with an ordered consumer filtered
 * on `ingest.<taskId>.>`: a short-lived, server-side-filtered replay that needs no durable state.
 * Call it only for a task known to exist, or it waits for `expires` on an empty filter.
 */
export async function readTaskEvents(ctx: Pick<TrpcContext, 'nats'>, taskId: string): Promise<TaskEventView[]> {
  const consumer = await ctx.nats.js.consumers.get(INGEST_STREAM, { filter_subjects: subjects.task(taskId) });
  const out: TaskEventView[] = [];
  const messages = await consumer.fetch({ max_messages: MAX_EVENTS, expires: 2_000 });
  for await (const m of messages) {
    const parsed = parseEvent(m.data);
    out.push(
      parsed.ok
        ? {
            seq: m.seq,
            type: parsed.event.type,
            occurredAt: parsed.event.occurredAt,
            summary: describeEvent(parsed.event),
            accession: accessionOf(parsed.event),
          }
        : {
            seq: m.seq,
            type: parsed.type ?? 'Unreadable',
            occurredAt: null,
            summary: `Skipped: ${parsed.message}`,
            accession: null,
          },
    );
    if (m.info.pending === 0) break;
  }
  return out;
}
