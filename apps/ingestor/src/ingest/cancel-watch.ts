import type { JetStreamManager } from '@nats-io/jetstream';
import { INGEST_STREAM, parseEvent, subjects, type IngestCancelled } from '@symbology/contracts';
import type { FilingOutcome } from './task-progress';

/**
 * Whether someone asked to cancel task `taskId`: one direct get of the last message on
 * `ingest.<taskId>.cancel_requested` (the web role publishes it there), cheap enough to ask
 * between filings.
 */
export async function readCancelRequested(jsm: JetStreamManager, taskId: string): Promise<boolean> {
  const msg = await jsm.direct.getMessage(INGEST_STREAM, {
    last_by_subj: subjects.event(taskId, 'IngestCancelRequested'),
  });
  if (!msg) return false;
  const parsed = parseEvent(msg.data);
  return parsed.ok && parsed.event.type === 'IngestCancelRequested' && parsed.event.taskId === taskId;
}

/**
 * The IngestCancelled of a task stopped after the filing in hand: what its filings hold, truthfully
 * counted, and how many it had listed but never started.
 */
export function cancelledData(
  listed: readonly string[],
  finished: ReadonlyMap<string, FilingOutcome>,
): IngestCancelled['data'] {
  const outcomes = listed.map((a) => finished.get(a));
  const count = (o: FilingOutcome) => outcomes.filter((x) => x === o).length;
  const [completed, partial, failed] = [count('completed'), count('partial'), count('failed')];
  const notAttempted = outcomes.filter((o) => o === undefined).length;
  const done = completed + partial + failed;
  const reason =
    listed.length === 0
      ? 'stopped on request before any annual report was listed'
      : notAttempted === 0
        ? `cancel asked for after every filing had been worked on (${done} of ${listed.length})`
        : `stopped on request after ${done} of ${listed.length} filings; ${notAttempted} not attempted (what was stored is kept)`;
  return { completed, partial, failed, notAttempted, reason };
}
