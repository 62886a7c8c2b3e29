import { newTaskId, type TaskStatus } from '@symbology/contracts';
import { taskWithOneFailure } from '@symbology/contracts/testing';
import { describe, expect, it } from 'vitest';
import { foldBatch } from '../projections/task-status/fold-batch';
import { classifyEntry } from '../projections/task-status/classify-entry';
import { diffStatuses } from './diff-statuses';

function folded(taskId: string): TaskStatus {
  const events = taskWithOneFailure(taskId).slice(0, 2);
  const entries = events.map((e, i) =>
    classifyEntry({
      seq: i + 1,
      subject: `ingest.${taskId}.${i === 0 ? 'requested' : 'company_resolved'}`,
      payload: JSON.stringify(e),
    }),
  );
  return foldBatch(new Map(), entries).changed.get(taskId)!;
}

describe('diffStatuses', () => {
  const taskId = newTaskId();
  const status = folded(taskId);

  it('sees no difference in the same instant spelt another way', () => {
    const stored = { ...status, createdAt: new Date(status.createdAt).toISOString().replace('Z', '+00:00') };
    expect(diffStatuses(new Map([[taskId, status]]), new Map([[taskId, stored]]))).toEqual([]);
  });

  it('names every differing field, filing, missing and extra task', () => {
    const other = newTaskId();
    const stored = { ...status, progress: 3, filings: status.filings.slice(1) };
    const diffs = diffStatuses(
      new Map([[taskId, status]]),
      new Map([
        [taskId, stored],
        [other, status],
      ]),
    );
    expect(diffs.map((d) => `${d.taskId === other ? 'other' : 'task'} ${d.field}`)).toEqual([
      'task progress',
      ...status.filings.map((_, i) => `task filings[${i}]`),
      'other (row)',
    ]);
  });
});
