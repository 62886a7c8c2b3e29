import type { JetStreamManager, StoredMsg } from '@nats-io/jetstream';
import { evolve, INGEST_STREAM, parseEvent, subjects, type TaskStatus } from '@symbology/contracts';
import { isTransientNatsError } from '@symbology/service';

/**
 * The status of a task the projector has not folded yet, from its IngestRequested event on the
 * stream: the same fold the projector will do, so it is a truthful "queued" and its version
 * equals the one the projector will announce first.
 *
 * Read from the stream leader (`$JS.API.STREAM.MSG.GET`), not by direct get: any replica answers
 * a direct get, and a follower that has not applied the message yet answers "no message" for a
 * task whose request was acknowledged a moment ago: on three nodes 11 to 18 `ingest.status` calls
 * in 300 made right after `ingest.request` answered NOT_FOUND, about 70 in 300 reads while other
 * tasks' events were written (read-requested-event.int.test.ts). The leader acknowledged the
 * publish after storing it, so it holds it. nats-server 2.10 has no direct get that waits for a
 * sequence; this read is rare (only until the projector has the task), so the leader can take it.
 */
export async function readRequestedStatus(jsm: JetStreamManager, taskId: string): Promise<TaskStatus | undefined> {
  const msg = await readRequested(jsm, subjects.event(taskId, 'IngestRequested'));
  if (!msg) return undefined;
  const parsed = parseEvent(msg.data);
  if (!parsed.ok || parsed.event.taskId !== taskId) return undefined;
  return evolve(undefined, parsed.event, msg.seq);
}

/**
 * The leader's copy; while the stream has no leader to answer (an election, a lost quorum), a
 * replica's copy found by direct get is as good. A replica's "no message" is no answer (it may only
 * lag), so then the leader's failure stands: the caller is told the service is unavailable, not
 * that the task does not exist.
 */
async function readRequested(jsm: JetStreamManager, subject: string): Promise<StoredMsg | null> {
  try {
    return await jsm.streams.getMessage(INGEST_STREAM, { last_by_subj: subject });
  } catch (error) {
    if (!isTransientNatsError(error)) throw error;
    const fromReplica = await jsm.direct.getMessage(INGEST_STREAM, { last_by_subj: subject }).catch(() => null);
    if (fromReplica) return fromReplica;
    throw error;
  }
}
