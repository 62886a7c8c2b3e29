import { parseEvent, parseIngestSubject, SUBJECT_TOKEN, type IngestEvent, type StreamEntry } from '@symbology/contracts';

export type DeadLetterReason = 'invalid-json' | 'unknown-type' | 'future-version' | 'invalid-event' | 'subject-mismatch';

export type ClassifiedEntry =
  | { ok: true; seq: number; subject: string; event: IngestEvent }
  | { ok: false; seq: number; subject: string; payload: string; reason: DeadLetterReason; message: string };

/**
 * Parses one stream entry the way every reader of this projection must (live, rebuild, verify):
 * the payload must be a valid event AND sit on its own subject, `ingest.<its taskId>.<its type>`.
 * A mismatch means a publisher bug; folding it into either task would be a guess.
 */
export function classifyEntry(entry: StreamEntry): ClassifiedEntry {
  const { seq, subject } = entry;
  // Decoded here with one shared decoder: parseEvent would build a TextDecoder per message.
  const payload = text(entry.payload);
  const parsed = parseEvent(payload);
  if (!parsed.ok) return { ok: false, seq, subject, payload, reason: parsed.reason, message: parsed.message };
  const { event } = parsed;
  const where = parseIngestSubject(subject);
  const expected = `ingest.${event.taskId}.${SUBJECT_TOKEN[event.type]}`;
  if (!where || subject !== expected) {
    const message = `${event.type} of task ${event.taskId} belongs on ${expected}, found on ${subject}`;
    return { ok: false, seq, subject, payload, reason: 'subject-mismatch', message };
  }
  return { ok: true, seq, subject, event };
}

const decoder = new TextDecoder();
function text(payload: Uint8Array | string): string {
  return typeof payload === 'string' ? payload : decoder.decode(payload);
}
