import type { Worker } from 'node:worker_threads';
import { newTaskId, SET_ASIDE_ERROR } from '@symbology/contracts';
import { taskWithOneFailure } from '@symbology/contracts/testing';
import { LIVE_TASK_TABLES, loadAllStatuses } from '@symbology/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConnections, type Connections } from '../connections';
import { RebuildWorkerError } from '../errors';
import { createLogger } from '../logger';
import { startProjector, type RunningProjector } from '../start-projector';
import { startHarness, type Harness } from '../testing/harness';
import { publishAll } from '../testing/publish-all';
import { rebuild, type RebuildOptions } from './rebuild';

describe('rebuild folding in worker threads', () => {
  let h: Harness;
  let live: RunningProjector;
  let conns: Connections;
  const poisoned = newTaskId();
  beforeAll(async () => {
    h = await startHarness();
    live = await startProjector({ ...h.config, batchSize: 50, poisonAttempts: 2 });
    conns = await openConnections(h.config, 'rebuild-workers-int-test');
    // A publisher with a broken clock on one task's last event: Postgres refuses it, the live
    // projector sets it aside, and every fold of the stream must mark the task the same way.
    const events = taskWithOneFailure(poisoned);
    events[events.length - 1] = { ...events.at(-1)!, occurredAt: '0000-01-01T00:00:00Z' };
    const others = Array.from({ length: 60 }, () => taskWithOneFailure(newTaskId()));
    await publishAll(h.pub, [...others.slice(0, 30).flat(), ...events, ...others.slice(30).flat()]);
    await h.waitForCheckpoint(await h.head());
  });
  afterAll(async () => {
    await conns?.close();
    await live?.stop();
    await h?.close();
  });

  const rebuildWith = (workers: number, options: Partial<RebuildOptions> = {}) =>
    rebuild({ ...conns, logger: createLogger('error'), scope: { kind: 'all' }, workers, ...options });

  it('given tampered live rows and a set-aside event, when rebuilt in 3 workers, then the rows are the live projection again', async () => {
    const projected = await loadAllStatuses(h.sql, LIVE_TASK_TABLES);
    expect(projected.get(poisoned)).toMatchObject({ status: 'failed', error: SET_ASIDE_ERROR });
    const [other] = [...projected.keys()].filter((id) => id !== poisoned);
    await h.sql`update tasks set message = 'tampered' where task_id in ${h.sql([poisoned, other!])}`;
    await h.sql`delete from task_filings where task_id = ${other!} and position = 0`;
    let threads: readonly Worker[] = [];

    const report = await rebuildWith(3, { onWorkers: (started) => (threads = started) });

    expect(threads).toHaveLength(3);
    expect(report).toMatchObject({ workers: 3, tasks: 61, changedTasks: 2, changedFilings: 1, skipped: 0 });
    expect(await loadAllStatuses(h.sql, LIVE_TASK_TABLES)).toEqual(projected);
    const verify = await h.cli('verify');
    expect(verify.out).toMatch(/61 tasks/);
    expect(verify.out).not.toMatch(/DIFF/);
    // Ended with the rebuild: a terminated thread has no id.
    expect(threads.map((t) => t.threadId)).toEqual([-1, -1, -1]);
  });

  it('given one tampered task, when it alone is rebuilt in 2 workers, then only its row changes back', async () => {
    const projected = await loadAllStatuses(h.sql, LIVE_TASK_TABLES);
    await h.sql`update tasks set progress = 1 where task_id = ${poisoned}`;

    const report = await rebuildWith(2, { scope: { kind: 'task', taskId: poisoned } });

    expect(report).toMatchObject({ workers: 2, read: 13, tasks: 1, changedTasks: 1, changedFilings: 0 });
    expect(await loadAllStatuses(h.sql, LIVE_TASK_TABLES)).toEqual(projected);
  });

  it('given a worker that ends mid-replay, then the rebuild fails with it, swaps nothing and ends the other worker', async () => {
    await h.sql`update tasks set progress = 2 where task_id = ${poisoned}`;
    let threads: readonly Worker[] = [];
    const failed = rebuildWith(2, {
      onWorkers: (started) => (threads = started),
      onProgress: async ({ phase }) => {
        if (phase === 'replay') await threads[1]?.terminate();
      },
    });

    await expect(failed).rejects.toThrow(RebuildWorkerError);
    await expect(failed).rejects.toThrow(/rebuild worker 1 exited/);
    expect(threads.map((t) => t.threadId)).toEqual([-1, -1]);
    const [row] = await h.sql<{ progress: number }[]>`select progress from tasks where task_id = ${poisoned}`;
    expect(row?.progress).toBe(2);
    // Its locks are released: the next rebuild runs (here on the main thread) and repairs the row.
    expect(await rebuildWith(0)).toMatchObject({ workers: 0, changedTasks: 1 });
  });
});
