import { describe, expect, it } from 'vitest';
import { newTaskId } from './event-ids';
import { SAMPLE_FILINGS, taskEvents } from '../testing/task-events';
import { parseEvent, type UpcasterRegistry } from './parse-event';
import { CURRENT_SCHEMA_VERSION, type IngestEvent } from './ingest-events';
import { MAX_MESSAGE_LENGTH } from './person-text';

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
    // Pretend IngestRequested is at v3 now, and v2 called the field clientId.
    const v2 = { ...event, schemaVersion: 2, data: { ...rest, clientId: requestedBy } };
    const upcasters: UpcasterRegistry = {
      IngestRequested: {
        2: (raw) => {
          const { clientId, ...data } = raw.data as Record<string, unknown>;
          return { ...raw, data: { ...data, requestedBy: clientId } };
        },
      },
    };
    const currentVersions = { ...CURRENT_SCHEMA_VERSION, IngestRequested: 3 };
    expect(parseEvent(json(v2), { upcasters, currentVersions })).toMatchObject({
      ok: true,
      event: { data: { requestedBy } },
    });
    expect(parseEvent(json(v2), { currentVersions })).toMatchObject({
      ok: false,
      message: 'no upcaster for IngestRequested v2 -> v3',
    });
  });

  it('given a v1 event of each type that changed, then the shipped upcasters give it the meaning it had', () => {
    const e = taskEvents(newTaskId());
    const strip = (event: IngestEvent, ...fields: string[]) => {
      const data = { ...(event.data as Record<string, unknown>) };
      for (const f of fields) delete data[f];
      return json({ ...event, schemaVersion: 1, data });
    };
    const f = SAMPLE_FILINGS[0]!;
    expect(parseEvent(strip(e.requested(), 'mode', 'retryOf'))).toMatchObject({
      ok: true,
      event: { schemaVersion: 2, data: { mode: 'initial', retryOf: null } },
    });
    expect(parseEvent(strip(e.resolved(), 'alreadyStored'))).toMatchObject({
      ok: true,
      event: { data: { alreadyStored: 0 } },
    });
    expect(parseEvent(strip(e.completed(f), 'outcome', 'missing'))).toMatchObject({
      ok: true,
      event: { data: { outcome: 'completed', missing: [] } },
    });
    // v1 showed a task with failed filings as completed: the upcast keeps what those tasks showed.
    expect(parseEvent(strip(e.ingestCompleted(3, 2), 'outcome', 'partial'))).toMatchObject({
      ok: true,
      event: { data: { outcome: 'completed', completed: 3, failed: 2, partial: 0 } },
    });
  });

  it('given an error message with a NUL byte, a driver dump and 100 KB of text, then the event carries a short clean sentence', () => {
    const e = taskEvents(newTaskId());
    const huge = `insert into "filing_sections" values ($1) params: ${'\u0000x'.repeat(50_000)}`;
    const parsed = parseEvent(json(e.ingestFailed('internal_error', `Could not store the filing\u0000 ${huge}`)));
    expect(parsed.ok).toBe(true);
    const message = parsed.ok && parsed.event.type === 'IngestFailed' ? parsed.event.data.error.message : '';
    expect(message.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    expect(message).not.toContain('\u0000');
    expect(message.startsWith('Could not store the filing')).toBe(true);
  });

  it('given a FilingCompleted whose outcome disagrees with its missing parts, then it is refused', () => {
    const e = taskEvents(newTaskId());
    const f = SAMPLE_FILINGS[0]!;
    const event = e.partial(f);
    const lying = { ...event, data: { ...(event.data as object), outcome: 'completed' } };
    expect(parseEvent(json(lying))).toMatchObject({ ok: false, reason: 'invalid-event' });
  });
});
