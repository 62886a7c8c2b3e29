import { newTaskId, subjects } from '@symbology/contracts';
import { taskWithOneFailure } from '@symbology/contracts/testing';
import { describe, expect, it } from 'vitest';
import { classifyEntry } from './classify-entry';
import { foldBatch } from './fold-batch';

const entries = (taskId: string) =>
  taskWithOneFailure(taskId).map((event, i) =>
    classifyEntry({ seq: i + 1, subject: subjects.event(taskId, event.type), payload: JSON.stringify(event) }),
  );

describe('foldBatch', () => {
  it('given a task’s events, folds them to its completed status', () => {
    const taskId = newTaskId();
    const { changed, projected, deadLetters } = foldBatch(new Map(), entries(taskId));
    expect(deadLetters).toEqual([]);
    expect(projected).toBe(13);
    expect(changed.get(taskId)).toMatchObject({ status: 'completed', progress: 100, version: 13, stepsCompleted: 5 });
  });

  it('given the same events delivered twice, the second fold changes nothing', () => {
    const taskId = newTaskId();
    const once = foldBatch(new Map(), entries(taskId)).changed;
    const twice = foldBatch(once, entries(taskId));
    expect(twice.changed.size).toBe(0);
  });

  it('turns a bad message into a dead letter and folds the rest', () => {
    const taskId = newTaskId();
    const bad = classifyEntry({ seq: 14, subject: `ingest.${taskId}.filing_completed`, payload: '{oops' });
    const { deadLetters, changed } = foldBatch(new Map(), [...entries(taskId), bad]);
    expect(deadLetters).toEqual([
      expect.objectContaining({ seq: 14, payload: '{oops', reason: expect.stringMatching(/^invalid-json: /) }),
    ]);
    expect(changed.get(taskId)?.version).toBe(13);
  });
});
