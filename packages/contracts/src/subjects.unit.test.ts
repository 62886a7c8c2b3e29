import { describe, expect, it } from 'vitest';
import { INGEST_EVENT_TYPES } from './events/ingest-events';
import { eventTypeFromToken, parseIngestSubject, parseStatusSubject, subjects, SUBJECT_TOKEN } from './subjects';

const taskId = '0193a0b4-7c1e-7a2b-9c3d-4e5f60718293';

describe('subjects', () => {
  it('builds ingest.<taskId>.<snake_case event> for every event type and parses it back', () => {
    for (const type of INGEST_EVENT_TYPES) {
      const subject = subjects.event(taskId, type);
      expect(subject).toMatch(/^ingest\.[0-9a-f-]{36}\.[a-z_]+$/);
      expect(parseIngestSubject(subject)).toEqual({ taskId, token: SUBJECT_TOKEN[type], type });
    }
    expect(subjects.event(taskId, 'FilingCompleted')).toBe(`ingest.${taskId}.filing_completed`);
    expect(subjects.event(taskId, 'IngestRequested')).toBe(`ingest.${taskId}.requested`);
  });

  it('gives every event type its own token', () => {
    expect(new Set(Object.values(SUBJECT_TOKEN)).size).toBe(INGEST_EVENT_TYPES.length);
    expect(eventTypeFromToken('filing_failed')).toBe('FilingFailed');
  });

  it('builds the wildcards services and replays use', () => {
    expect(subjects.ofType('FilingCompleted')).toBe('ingest.*.filing_completed');
    expect(subjects.task(taskId)).toBe(`ingest.${taskId}.>`);
    expect(subjects.status(taskId)).toBe(`status.${taskId}`);
  });

  it('parses an unknown token without a type and refuses other shapes', () => {
    expect(parseIngestSubject(`ingest.${taskId}.filing_audited`)).toEqual({
      taskId,
      token: 'filing_audited',
      type: undefined,
    });
    expect(parseIngestSubject('ingest.x')).toBeUndefined();
    expect(parseIngestSubject(`status.${taskId}`)).toBeUndefined();
    expect(parseStatusSubject(`status.${taskId}`)).toEqual({ taskId });
    expect(parseStatusSubject('status.a.b')).toBeUndefined();
  });
});
