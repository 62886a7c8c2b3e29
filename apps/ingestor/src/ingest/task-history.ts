import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { INGEST_STREAM, parseEvent, subjects, type IngestEvent } from '@symbology/contracts';
import { PULL_EXPIRES_MS } from '@symbology/service';

export class TaskHistoryError extends Error {
  override readonly name = 'TaskHistoryError';
}

/**
 * Reads every event of one task (`ingest.<taskId>.>`) in stream order with an ordered consumer,
 * up to the last one stored when the read began. Unparseable entries are skipped: they cannot
 * be steps this ingestor took.
 */
export async function readTaskEvents(
  js: JetStreamClient,
  jsm: JetStreamManager,
  taskId: string,
  timeoutMs = 10_000,
): Promise<IngestEvent[]> {
  const filter = subjects.task(taskId);
  const info = await jsm.streams.info(INGEST_STREAM, { subjects_filter: filter });
  const stored = Object.values(info.state.subjects ?? {}).reduce((sum, n) => sum + n, 0);
  if (stored === 0) return [];
  const consumer = await js.consumers.get(INGEST_STREAM, { filter_subjects: filter });
  const messages = await consumer.consume({ max_messages: Math.min(stored, 256), expires: PULL_EXPIRES_MS });
  const timer = setTimeout(() => void messages.stop(), timeoutMs);
  const events: IngestEvent[] = [];
  let caughtUp = false;
  try {
    for await (const m of messages) {
      const parsed = parseEvent(m.data);
      if (parsed.ok) events.push(parsed.event);
      if (m.info.pending === 0) {
        caughtUp = true;
        break;
      }
    }
  } finally {
    clearTimeout(timer);
    await messages.close().catch(() => {});
  }
  if (!caughtUp) throw new TaskHistoryError(`timed out reading the events of task ${taskId} after ${timeoutMs} ms`);
  return events;
}
