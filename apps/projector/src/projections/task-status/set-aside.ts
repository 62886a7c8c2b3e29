import { isTerminal, isTerminalEvent, SET_ASIDE_ERROR, type IngestEvent, type TaskStatus } from '@symbology/contracts';

/**
 * Events that were delivered and parse, but that the projection could not write or fold after
 * its retries, by stream sequence, with the reason recorded in their dead letter. Every reader
 * of the projection (live, rebuild, verify) folds them the same way: with `markSetAside`.
 */
export type SetAside = ReadonlyMap<number, string>;
export const NOTHING_SET_ASIDE: SetAside = new Map();

/**
 * The status of a task after one of its events was set aside instead of folded: the task says so
 * (`error`), its version moves to the event's sequence (so subscribers see the change), and an
 * event that would have ended the task ends it as `failed`, so that nobody waits for it forever.
 * Pure, like `evolve`. A task with no status yet (its first event set aside) has nothing to show.
 */
export function markSetAside(prev: TaskStatus | undefined, event: IngestEvent, seq: number): TaskStatus | undefined {
  if (!prev || seq <= prev.version) return prev;
  const ended = isTerminalEvent(event) && !isTerminal(prev);
  return {
    ...prev,
    error: SET_ASIDE_ERROR,
    ...(ended ? { status: 'failed' as const, progress: 100, message: SET_ASIDE_ERROR } : {}),
    version: seq,
    // Nothing of the refused event is trusted (its time may be what the database refused).
    updatedAt: prev.updatedAt,
  };
}
