import { JetStreamApiCodes } from '@nats-io/jetstream';

const LOST_RACE = new Set<number>([
  JetStreamApiCodes.StreamWrongLastSequence,
  JetStreamApiCodes.StreamWrongLastSequenceUnknown,
]);

/**
 * True when a KV create/update lost a race: another writer changed the key first. Checked by the
 * JetStream error code rather than `instanceof`, since Next.js may bundle its own copy of the class.
 */
export function isCasConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' && LOST_RACE.has(code);
}
