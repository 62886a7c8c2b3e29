import { describe, expect, it } from 'vitest';
import { newTaskId } from './event-ids';
import { taskEvents } from '../testing/task-events';
import { parseEvent, type UpcasterRegistry } from './parse-event';
import { CURRENT_SCHEMA_VERSION } from './ingest-events';

const json = (v: unknown) => JSON.stringify(v);

describe('parseEvent: every message is parsed, never trusted', () => {
  it('given a valid event as bytes, then it returns the typed event', () => {
    const event = taskEvents(newTaskId()).resolved();
    const result = parseEvent(new TextEncoder().encode(json(event)));
    expect(result).toEqual({ ok: true, event });
  });

  it('given truncated JSON, then it returns invalid-json without throwing', () => {
    expect(parseEvent('{"type":"IngestRequested",')).toMatchObject({ ok: false, reason: 'invalid-json' });
  });

  it('given a known type with a bad field, then it says which field', () => {
    const event = taskEvents(newTaskId()).requested();
    const result = parseEvent(json({ ...event, data: { ...(event.data as object), ticker: 'not a ticker!' } }));
    expect(result).toMatchObject({ ok: false, reason: 'invalid-event', type: 'IngestRequested' });
    expect(!result.ok && result.message).toContain('ticker');
  });

  it('given an unknown type, then it is reported as unknown-type', () => {
    const event = taskEvents(newTaskId()).requested();
    expect(parseEvent(json({ ...event, type: 'TaskArchived' }))).toMatchObject({
      ok: false,
      reason: 'unknown-type',
      type: 'TaskArchived',
    });
  });

  it('given a schemaVersion newer than this build knows, then it is refused as future-version', () => {
    const event = taskEvents(newTaskId()).requested();
    expect(parseEvent(json({ ...event, schemaVersion: 99 }))).toMatchObject({ ok: false, reason: 'future-version' });
  });

  it('given an event written at an older schemaVersion, then its upcaster brings it to the current shape', () => {
    const event = taskEvents(newTaskId()).requested();
    const { requestedBy, ...rest } = event.data as { requestedBy: string };
    // Pretend IngestRequested is at v2 now, and v1 called the field clientId.
    const v1 = { ...event, schemaVersion: 1, data: { ...rest, clientId: requestedBy } };
    const upcasters: UpcasterRegistry = {
      IngestRequested: {
        1: (raw) => {
          const { clientId, ...data } = raw.data as Record<string, unknown>;
          return { ...raw, data: { ...data, requestedBy: clientId } };
        },
      },
    };
    const currentVersions = { ...CURRENT_SCHEMA_VERSION, IngestRequested: 2 };
    expect(parseEvent(json(v1), { upcasters, currentVersions })).toMatchObject({
      ok: true,
      event: { data: { requestedBy } },
    });
    expect(parseEvent(json(v1), { currentVersions })).toMatchObject({
      ok: false,
      message: 'no upcaster for IngestRequested v1 -> v2',
    });
  });
});
