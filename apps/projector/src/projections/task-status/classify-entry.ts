import { parseEventOn, type IngestEvent, type ParseFailureReason, type StreamEntry } from '@symbology/contracts';

export type DeadLetterReason = ParseFailureReason;

export type ClassifiedEntry =
  | { ok: true; seq: number; subject: string; payload: string; event: IngestEvent }
  | { ok: false; seq: number; subject: string; payload: string; reason: DeadLetterReason; message: string };

const decoder = new TextDecoder();

/**
 * Parses one stream entry the way every reader of this projection must (live, rebuild, verify):
 * the contracts' `parseEventOn`, which also refuses an event on another subject than its own.
 * Both kinds keep the payload as text for a dead letter (a valid event may still be set aside
 * when it cannot be written).
 */
export function classifyEntry(entry: StreamEntry): ClassifiedEntry {
  const { seq, subject } = entry;
  const payload = typeof entry.payload === 'string' ? entry.payload : decoder.decode(entry.payload);
  const parsed = parseEventOn(subject, payload);
  if (!parsed.ok) return { ok: false, seq, subject, payload, reason: parsed.reason, message: parsed.message };
  return { ok: true, seq, subject, payload, event: parsed.event };
}
