import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { INGEST_STREAM, IngestEventSchema, subjects, type IngestEvent } from '@symbology/contracts';
import { backoffDelay } from '../backoff/backoff-delay';
import { isTransientNatsError } from '../errors/transient';

export class EventPublishError extends Error {
  override readonly name = 'EventPublishError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export type PublishedEvent = { seq: number; duplicate: boolean };

export type PublishOptions = {
  /** How long to keep repeating a publish that got no answer (PUBLISH_BUDGET_MS by default). */
  budgetMs?: number;
  /** At most this many attempts, however much of the budget is left. */
  attempts?: number;
  /** How long one attempt waits for its PubAck. */
  timeoutMs?: number;
};

/**
 * How long a publish that got no answer is repeated. A stream of a cluster answers 503 at once
 * while it elects a leader, which takes 4-8 s after a node is lost (measured on three nodes), and
 * a reconnect to another node a few seconds more; the duplicate window makes every repeat safe.
 */
export const PUBLISH_BUDGET_MS = 15_000;

/** 200 ms, 400 ms, ... 2 s between attempts. */
const RETRY = { baseMs: 200, maxMs: 2_000 };

/**
 * Validates an event and publishes it on its subject with `Nats-Msg-Id` = eventId, so a retry of
 * the same event (after a timeout, a crash, a redelivery) is dropped by the stream's duplicate
 * window. A PubAck from any stream other than INGEST means the subject is misrouted and is refused.
 */
export async function publishEvent(
  js: JetStreamClient,
  event: IngestEvent,
  options: PublishOptions = {},
): Promise<PublishedEvent> {
  const valid = IngestEventSchema.parse(event);
  const subject = subjects.event(valid.taskId, valid.type);
  const payload = JSON.stringify(valid);
  const attempts = options.attempts ?? Number.POSITIVE_INFINITY;
  const giveUpAt = Date.now() + (options.budgetMs ?? PUBLISH_BUDGET_MS);
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let ack: PubAck;
    try {
      ack = await js.publish(subject, payload, {
        msgID: valid.eventId,
        expect: { streamName: INGEST_STREAM },
        // The last attempt waits no longer than the budget left: a publish takes PUBLISH_BUDGET_MS at most.
        timeout: Math.max(1, Math.min(options.timeoutMs ?? 5_000, giveUpAt - Date.now())),
      });
    } catch (error) {
      lastError = error;
      // Only a request that got no answer is worth repeating; a refusal would be refused again.
      const wait = backoffDelay(attempt, RETRY);
      if (!isTransientNatsError(error) || attempt === attempts || Date.now() + wait >= giveUpAt) break;
      await new Promise((r) => setTimeout(r, wait));
      continue;
    }
    if (ack.stream !== INGEST_STREAM) {
      throw new EventPublishError(`${subject} was stored on stream ${ack.stream}, expected ${INGEST_STREAM}`);
    }
    return { seq: ack.seq, duplicate: ack.duplicate };
  }
  // The size and the refusal go in the message: an event over max_payload is the publisher's bug.
  const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
  throw new EventPublishError(
    `could not publish ${valid.type} (${Buffer.byteLength(payload)} bytes) for task ${valid.taskId} on ${subject}${reason}`,
    { cause: lastError },
  );
}
