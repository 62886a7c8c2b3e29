import type { JetStreamClient } from '@nats-io/jetstream';
import { subjects, type IngestEvent } from '@symbology/contracts';

export type Publishers = { web: JetStreamClient; ingestor: JetStreamClient };

/**
 * Publishes events in order with at most `inFlight` publish acks outstanding (with
 * sync_interval: always each ack waits for an fsync, and too many at once time out). Requests go
 * through the web user, progress through the ingestor user, as in production; order holds per
 * connection, so a task's requested event is sent (and acked) before its progress.
 */
export async function publishAll(pub: Publishers, events: readonly IngestEvent[], inFlight = 1_000): Promise<number> {
  const requested = events.filter((e) => e.type === 'IngestRequested');
  const progress = events.filter((e) => e.type !== 'IngestRequested');
  await publishOn(pub.web, requested, inFlight);
  await publishOn(pub.ingestor, progress, inFlight);
  return events.length;
}

async function publishOn(js: JetStreamClient, events: readonly IngestEvent[], inFlight: number): Promise<void> {
  const window = new Set<Promise<unknown>>();
  for (const event of events) {
    const p = js.publish(subjects.event(event.taskId, event.type), JSON.stringify(event), {
      msgID: event.eventId,
      timeout: 30_000,
    });
    const tracked = p.finally(() => window.delete(tracked));
    window.add(tracked);
    if (window.size >= inFlight) await Promise.race(window);
  }
  await Promise.all(window);
}
