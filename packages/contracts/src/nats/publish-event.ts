import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { IngestEventSchema, type IngestEvent } from '../events/ingest-events';
import { INGEST_STREAM, subjects } from '../subjects';

export class EventPublishError extends Error {
  override readonly name = 'EventPublishError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export type PublishedEvent = { seq: number; duplicate: boolean };

/**
 * Validates an event and publishes it on its subject with `Nats-Msg-Id` = eventId, so a retry of
 * the same event (after a timeout, a crash, a redelivery) is dropped by the stream's duplicate
 * window. A PubAck from any stream other than INGEST means the subject is misrouted and is refused.
 */
export async function publishEvent(
  js: JetStreamClient,
  event: IngestEvent,
  options: { attempts?: number; timeoutMs?: number } = {},
): Promise<PublishedEvent> {
  const valid = IngestEventSchema.parse(event);
  const subject = subjects.event(valid.taskId, valid.type);
  const payload = JSON.stringify(valid);
  const attempts = options.attempts ?? 3;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let ack: PubAck;
    try {
      ack = await js.publish(subject, payload, {
        msgID: valid.eventId,
        expect: { streamName: INGEST_STREAM },
        timeout: options.timeoutMs ?? 5_000,
      });
    } catch (error) {
      lastError = error;
      if (!isRetryable(error) || attempt === attempts) break;
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      continue;
    }
    if (ack.stream !== INGEST_STREAM) {
      throw new EventPublishError(`${subject} was stored on stream ${ack.stream}, expected ${INGEST_STREAM}`);
    }
    return { seq: ack.seq, duplicate: ack.duplicate };
  }
  throw new EventPublishError(`could not publish ${valid.type} for task ${valid.taskId} on ${subject}`, {
    cause: lastError,
  });
}

function isRetryable(error: unknown): boolean {
  const text = String((error as { message?: string })?.message ?? error).toLowerCase();
  return text.includes('timeout') || text.includes('no responders') || text.includes('disconnect');
}
