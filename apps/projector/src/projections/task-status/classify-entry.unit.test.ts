import { newTaskId, subjects } from '@symbology/contracts';
import { taskWithOneFailure } from '@symbology/contracts/testing';
import { describe, expect, it } from 'vitest';
import { classifyEntry } from './classify-entry';

describe('classifyEntry', () => {
  const taskId = newTaskId();
  const event = taskWithOneFailure(taskId)[0]!;

  it('accepts a valid event on its own subject', () => {
    expect(
      classifyEntry({ seq: 1, subject: subjects.event(taskId, event.type), payload: JSON.stringify(event) }),
    ).toMatchObject({ ok: true });
  });

  it('refuses an event published on another task’s subject', () => {
    const c = classifyEntry({
      seq: 1,
      subject: subjects.event(newTaskId(), event.type),
      payload: JSON.stringify(event),
    });
    expect(c).toMatchObject({ ok: false, reason: 'subject-mismatch' });
  });

  it('refuses an event on the subject of another type', () => {
    const c = classifyEntry({ seq: 1, subject: `ingest.${taskId}.completed`, payload: JSON.stringify(event) });
    expect(c).toMatchObject({ ok: false, reason: 'subject-mismatch' });
  });

  it('refuses an unknown event type and keeps the payload for the dead letter', () => {
    const payload = JSON.stringify({ ...event, type: 'SomethingNew' });
    expect(classifyEntry({ seq: 1, subject: `ingest.${taskId}.requested`, payload })).toMatchObject({
      ok: false,
      reason: 'unknown-type',
      payload,
    });
  });
});
