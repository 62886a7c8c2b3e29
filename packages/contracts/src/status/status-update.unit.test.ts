import { describe, expect, it } from 'vitest';
import { newTaskId } from '../events/event-ids';
import type { IngestEvent } from '../events/ingest-events';
import { happyTask, SAMPLE_FILINGS, taskEvents, taskWithOneFailure } from '../testing/task-events';
import { evolve } from './evolve';
import { applyStatusUpdate, diffStatus, statusSnapshot, StatusUpdateSchema } from './status-update';
import type { TaskStatus } from './task-status';

function versions(events: IngestEvent[]): TaskStatus[] {
  const out: TaskStatus[] = [];
  events.reduce<TaskStatus | undefined>((prev, event, i) => {
    const next = evolve(prev, event, 10 + i * 3);
    out.push(next);
    return next;
  }, undefined);
  return out;
}

function cancelledTask(taskId: string): IngestEvent[] {
  const e = taskEvents(taskId);
  const [f1, f2] = SAMPLE_FILINGS;
  return [
    e.requested(),
    e.resolved(SAMPLE_FILINGS),
    e.started(f1!),
    e.completed(f1!),
    e.started(f2!),
    e.cancelRequested(),
    e.cancelled({ completed: 1, notAttempted: 4 }),
  ];
}

/** A delta as the receiver gets it: through JSON and the schema, like the WebSocket carries it. */
const overTheWire = (update: unknown) => StatusUpdateSchema.parse(JSON.parse(JSON.stringify(update)));

describe('status updates: a snapshot, then deltas', () => {
  const tasks = {
    happy: happyTask(newTaskId()),
    'one failure': taskWithOneFailure(newTaskId()),
    cancelled: cancelledTask(newTaskId()),
  };

  for (const [name, events] of Object.entries(tasks)) {
    it(`given every pair of versions of a ${name} task, applying the delta gives the newer status exactly`, () => {
      const all = versions(events);
      for (let i = 0; i < all.length; i++) {
        for (let j = i + 1; j < all.length; j++) {
          const applied = applyStatusUpdate(all[i], overTheWire(diffStatus(all[i]!, all[j]!)));
          expect(applied).toEqual(all[j]);
        }
      }
    });
  }

  it('given a whole task sent as a snapshot then deltas, the receiver ends on the terminal status', () => {
    const all = versions(happyTask(newTaskId()));
    let held = applyStatusUpdate(undefined, overTheWire(statusSnapshot(all[0]!)));
    for (let i = 1; i < all.length; i++) held = applyStatusUpdate(held, overTheWire(diffStatus(all[i - 1]!, all[i]!)));
    expect(held).toEqual(all.at(-1));
    expect(held?.status).toBe('completed');
  });

  it('a delta is much smaller than the status it leads to', () => {
    const all = versions(happyTask(newTaskId()));
    const delta = JSON.stringify(diffStatus(all[5]!, all[6]!)).length;
    expect(delta * 2).toBeLessThan(JSON.stringify(all[6]).length);
  });

  it('a delta from another version, or of another task, does not apply', () => {
    const all = versions(happyTask(newTaskId()));
    const delta = diffStatus(all[2]!, all[3]!);
    expect(applyStatusUpdate(all[1], delta)).toBeUndefined();
    expect(applyStatusUpdate(undefined, delta)).toBeUndefined();
    const other = versions(happyTask(newTaskId()))[2]!;
    expect(applyStatusUpdate({ ...other, version: all[2]!.version }, delta)).toBeUndefined();
  });
});
