import { z } from 'zod';
import { subjects } from '../subjects';
import { CURRENT_SCHEMA_VERSION, INGEST_EVENT_SCHEMAS, type IngestEvent, type IngestEventType } from './ingest-events';
import { UPCASTERS, type UpcasterRegistry } from './upcasters';

export type { Upcaster, UpcasterRegistry } from './upcasters';
export { UPCASTERS } from './upcasters';

export type ParseFailureReason =
  'invalid-json' | 'unknown-type' | 'future-version' | 'invalid-event' | 'subject-mismatch';
export type ParseResult =
  { ok: true; event: IngestEvent } | { ok: false; reason: ParseFailureReason; message: string; type?: string };

const decoder = new TextDecoder();

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPositiveInteger = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;

/**
 * Parses the bytes (or text) of a message into a typed event. Never throws on bad input: a
 * consumer records the failure as a dead letter and goes on.
 */
export type ParseOptions = {
  upcasters?: UpcasterRegistry;
  /** The version each type is upcast to; CURRENT_SCHEMA_VERSION unless a test says otherwise. */
  currentVersions?: Record<IngestEventType, number>;
};

export function parseEvent(payload: Uint8Array | string, options: ParseOptions = {}): ParseResult {
  const upcasters = options.upcasters ?? UPCASTERS;
  const versions = options.currentVersions ?? CURRENT_SCHEMA_VERSION;
  let json: unknown;
  try {
    json = JSON.parse(typeof payload === 'string' ? payload : decoder.decode(payload));
  } catch (error) {
    return { ok: false, reason: 'invalid-json', message: `not JSON: ${(error as Error).message}` };
  }
  // The envelope's two routing fields are checked by hand: a second zod pass over every message
  // would cost about as much as the event's own validation, which follows in full.
  if (!isRecord(json) || typeof json.type !== 'string' || !isPositiveInteger(json.schemaVersion)) {
    return {
      ok: false,
      reason: 'invalid-event',
      message: 'no event envelope: expected an object with a string "type" and a positive integer "schemaVersion"',
    };
  }
  const { type, schemaVersion } = json;
  if (!Object.hasOwn(CURRENT_SCHEMA_VERSION, type)) {
    return { ok: false, reason: 'unknown-type', message: `unknown event type "${type}"`, type };
  }
  const known = type as IngestEventType;
  const current = versions[known];
  if (schemaVersion > current) {
    return {
      ok: false,
      reason: 'future-version',
      message: `${type} schemaVersion ${schemaVersion} is newer than this build understands (${current})`,
      type,
    };
  }
  let raw: Record<string, unknown> = json;
  for (let v = schemaVersion; v < current; v++) {
    const up = upcasters[known]?.[v];
    if (!up) {
      return { ok: false, reason: 'invalid-event', message: `no upcaster for ${type} v${v} -> v${v + 1}`, type };
    }
    raw = { ...up(raw), schemaVersion: v + 1 };
  }
  // The schemas describe the current shape; an upcast event is validated as such.
  if (raw !== json) raw.schemaVersion = CURRENT_SCHEMA_VERSION[known];
  // The type's own schema, not the union: the envelope already said which one applies.
  const parsed = INGEST_EVENT_SCHEMAS[known].safeParse(raw);
  if (!parsed.success) {
    return { ok: false, reason: 'invalid-event', message: z.prettifyError(parsed.error), type };
  }
  return { ok: true, event: parsed.data };
}

/**
 * parseEvent, plus the rule every reader of the stream applies: an event sits on its own subject,
 * `ingest.<its taskId>.<its type>`. One that does not is a publisher's bug; folding it into either
 * task would be a guess, so it is refused as `subject-mismatch`.
 */
export function parseEventOn(subject: string, payload: Uint8Array | string, options: ParseOptions = {}): ParseResult {
  const parsed = parseEvent(payload, options);
  if (!parsed.ok) return parsed;
  const expected = subjects.event(parsed.event.taskId, parsed.event.type);
  if (subject === expected) return parsed;
  return {
    ok: false,
    reason: 'subject-mismatch',
    message: `${parsed.event.type} of task ${parsed.event.taskId} belongs on ${expected}, found on ${subject}`,
    type: parsed.event.type,
  };
}
