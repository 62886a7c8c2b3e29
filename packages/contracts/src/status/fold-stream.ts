import { parseEventOn, type ParseFailureReason } from '../events/parse-event';
import { evolve } from './evolve';
import type { TaskStatus } from './task-status';

export type StreamEntry = { seq: number; subject: string; payload: Uint8Array | string };
export type SkippedEntry = { seq: number; subject: string; reason: ParseFailureReason; message: string };

/**
 * Folds raw stream entries into one status per task. Entries that do not parse (bad JSON, an
 * unknown or future event type, an event on another subject than its own) are skipped and
 * reported, exactly as the live projector skips them into dead letters: so `verify` compares
 * like with like.
 */
export function foldStream(entries: Iterable<StreamEntry>): {
  statuses: Map<string, TaskStatus>;
  skipped: SkippedEntry[];
} {
  const statuses = new Map<string, TaskStatus>();
  const skipped: SkippedEntry[] = [];
  for (const entry of entries) {
    const parsed = parseEventOn(entry.subject, entry.payload);
    if (!parsed.ok) {
      skipped.push({ seq: entry.seq, subject: entry.subject, reason: parsed.reason, message: parsed.message });
      continue;
    }
    const { event } = parsed;
    statuses.set(event.taskId, evolve(statuses.get(event.taskId), event, entry.seq));
  }
  return { statuses, skipped };
}
