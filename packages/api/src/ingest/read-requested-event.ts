import type { JetStreamManager } from '@nats-io/jetstream';
import { evolve, INGEST_STREAM, parseEvent, subjects, type TaskStatus } from '@symbology/contracts';

/**
 * The status of a task the projector has not folded yet, from its IngestRequested event on the
 * stream: the same fold the projector will do, so it is a truthful "queued" and its version
 * equals the one the projector will announce first.
 */
export async function readRequestedStatus(jsm: JetStreamManager, taskId: string): Promise<TaskStatus | undefined> {
  const msg = await jsm.direct.getMessage(INGEST_STREAM, { last_by_subj: subjects.event(taskId, 'IngestRequested') });
  if (!msg) return undefined;
  const parsed = parseEvent(msg.data);
  if (!parsed.ok || parsed.event.taskId !== taskId) return undefined;
  return evolve(undefined, parsed.event, msg.seq);
}
