import { evolve, type TaskStatus } from '@symbology/contracts';
import type { ClassifiedEntry } from './classify-entry';
import { markSetAside, NOTHING_SET_ASIDE, type SetAside } from './set-aside';

export type DeadLetter = { seq: number; subject: string; payload: string; reason: string };

export type FoldedBatch = {
  /** The new status of every task the batch changed, keyed by task id. */
  changed: Map<string, TaskStatus>;
  deadLetters: DeadLetter[];
  /** Events folded (dead letters and events set aside excluded). */
  projected: number;
  /**
   * Tasks an event set aside marked in this batch: their new status is not what a plain fold of
   * the stream (a web process's edge fold) holds at that version, so it is announced as a replacement.
   */
  marked: Set<string>;
};

/** Task ids whose previous status a batch needs. */
export function taskIdsOf(entries: readonly ClassifiedEntry[]): string[] {
  const ids = new Set<string>();
  for (const e of entries) if (e.ok) ids.add(e.event.taskId);
  return [...ids];
}

/**
 * Folds a batch (in stream order) onto the previous statuses with the contracts' `evolve`.
 * Pure: the caller loads `prev` and writes the result. An event at or below a task's version
 * (a redelivery) leaves the status as it was and the task out of `changed`. An event in `setAside`
 * becomes a dead letter with that reason and marks its task instead of being folded.
 */
export function foldBatch(
  prev: ReadonlyMap<string, TaskStatus>,
  entries: readonly ClassifiedEntry[],
  setAside: SetAside = NOTHING_SET_ASIDE,
): FoldedBatch {
  const changed = new Map<string, TaskStatus>();
  const deadLetters: DeadLetter[] = [];
  const marked = new Set<string>();
  let projected = 0;
  for (const entry of entries) {
    if (!entry.ok) {
      deadLetters.push({
        seq: entry.seq,
        subject: entry.subject,
        payload: entry.payload,
        reason: `${entry.reason}: ${entry.message}`,
      });
      continue;
    }
    const { taskId } = entry.event;
    const before = changed.get(taskId) ?? prev.get(taskId);
    const reason = setAside.get(entry.seq);
    if (reason !== undefined) {
      deadLetters.push({ seq: entry.seq, subject: entry.subject, payload: entry.payload, reason });
      const after = markSetAside(before, entry.event, entry.seq);
      if (after && after !== before) {
        changed.set(taskId, after);
        marked.add(taskId);
      }
      continue;
    }
    const after = evolve(before, entry.event, entry.seq);
    if (after !== before) changed.set(taskId, after);
    projected++;
  }
  return { changed, deadLetters, projected, marked };
}
