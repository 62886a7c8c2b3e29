import { evolve, newTaskId, type TaskStatus } from '@symbology/contracts';
import { taskEvents } from '@symbology/contracts/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LatestQueue } from './latest-queue';
import { StatusCoalescer } from './status-coalescer';

const taskA = newTaskId();
const taskB = newTaskId();
const status = (taskId: string, version: number): TaskStatus =>
  evolve(undefined, taskEvents(taskId).requested(), version);
const HOUR = 3_600_000;
const checkPhase = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Offers each version from its own callback: separate macrotasks of one loop phase, as socket reads
 * are. Immediates queued together run in one check phase (timers of 0 ms may straddle a millisecond
 * and split across two), and the hand-out the first offer schedules runs only in the next one.
 */
function offerFromSeparateCallbacks(coalescer: StatusCoalescer, statuses: TaskStatus[]): Promise<void> {
  return new Promise((resolve) => {
    statuses.forEach((s, i) =>
      setImmediate(() => {
        coalescer.offer(s);
        if (i === statuses.length - 1) resolve();
      }),
    );
  });
}

describe('StatusCoalescer: the newest status per task, handed out once the loop has read what is ready', () => {
  it('given statuses arriving in separate callbacks, a waiting reader takes once, the newest', async () => {
    const mailbox = new LatestQueue();
    const coalescer = new StatusCoalescer((s) => mailbox.push(s));
    const taken: number[] = [];
    const reader = (async () => {
      while (!mailbox.isClosed) {
        const take = await mailbox.next(HOUR);
        if (take.status) taken.push(take.status.version);
      }
    })();
    await offerFromSeparateCallbacks(
      coalescer,
      [3, 4, 5].map((v) => status(taskA, v)),
    );
    await checkPhase();
    await checkPhase();
    mailbox.close();
    await reader;
    // Handed out per callback, the reader woke between them and took 3, 4 and 5.
    expect(taken).toEqual([5]);
  });

  it('keeps each task apart and never hands out an older version than one it holds', async () => {
    const out: [string, number][] = [];
    const coalescer = new StatusCoalescer((s) => out.push([s.taskId, s.version]));
    coalescer.offer(status(taskA, 7));
    coalescer.offer(status(taskA, 6));
    coalescer.offer(status(taskB, 2));
    expect(out).toEqual([]);
    await checkPhase();
    expect(out).toEqual([
      [taskA, 7],
      [taskB, 2],
    ]);
  });

  it('hands out nothing after clear', async () => {
    const out: number[] = [];
    const coalescer = new StatusCoalescer((s) => out.push(s.version));
    coalescer.offer(status(taskA, 1));
    coalescer.clear();
    await checkPhase();
    expect(out).toEqual([]);
  });

  describe('with a shortest interval between hand-outs', () => {
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'] });
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it('hands out at once after a quiet spell, and waits out the interval under load', () => {
      const out: number[] = [];
      const coalescer = new StatusCoalescer((s) => out.push(s.version), 50);
      coalescer.offer(status(taskA, 1));
      vi.advanceTimersByTime(0);
      expect(out).toEqual([1]);

      vi.advanceTimersByTime(10);
      coalescer.offer(status(taskA, 2));
      coalescer.offer(status(taskA, 3));
      vi.advanceTimersByTime(39);
      expect(out).toEqual([1]);
      vi.advanceTimersByTime(1);
      expect(out).toEqual([1, 3]);

      vi.advanceTimersByTime(200);
      coalescer.offer(status(taskA, 4));
      vi.advanceTimersByTime(0);
      expect(out).toEqual([1, 3, 4]);
    });

    it('hands out nothing after clear, whether the hand-out was due at once or after the interval', () => {
      const out: number[] = [];
      const coalescer = new StatusCoalescer((s) => out.push(s.version), 50);
      coalescer.offer(status(taskA, 1));
      vi.advanceTimersByTime(0);
      coalescer.offer(status(taskA, 2));
      coalescer.clear();
      vi.advanceTimersByTime(100);
      expect(out).toEqual([1]);
    });
  });
});
