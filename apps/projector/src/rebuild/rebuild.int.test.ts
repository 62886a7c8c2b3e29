import { setTimeout as sleep } from 'node:timers/promises';
import { newTaskId, subjects, TASK_STATUS_PROJECTION } from '@symbology/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REBUILD_LOCK, tryAdvisoryLock } from '../consumer/advisory-lock';
import { startProjector, type RunningProjector } from '../start-projector';
import { startHarness, type Harness } from '../testing/harness';
import { publishAll } from '../testing/publish-all';
import { taskEvents } from '../testing/task-events';

describe('rebuild, verify and dead-letter retry against a live projector', () => {
  let h: Harness;
  let live: RunningProjector;
  beforeAll(async () => {
    h = await startHarness();
    live = await startProjector({ ...h.config, batchSize: 25 });
  });
  afterAll(async () => {
    await live?.stop();
    await h?.close();
  });

  it('loses no update when a full rebuild swaps in during live ingestion', async () => {
    await publishAll(h.pub, Array.from({ length: 100 }, (_, i) => taskEvents(newTaskId(), i)).flat());
    const during = Array.from({ length: 300 }, (_, i) => taskEvents(newTaskId(), 1_000 + i)).flat();
    const publishing = publishAll(h.pub, during, 200);
    await h.waitForCheckpoint(1_500);
    const rebuilt = await h.cli('rebuild');
    expect(rebuilt.code).toBe(0);
    const through = Number(/through seq (\d+)/.exec(rebuilt.out)?.[1]);
    await publishing;
    const head = await h.head();
    // The live projector kept committing after the swap point.
    expect(through).toBeGreaterThan(1_300);
    expect(through).toBeLessThan(head);
    await h.waitForCheckpoint(head);
    const verify = await h.cli('verify');
    expect(verify.out).toMatch(/400 tasks .*: OK/);
    expect(verify.code).toBe(0);
    expect((await h.sql`select to_regclass('tasks_rebuild') as t`)[0]?.t).toBeNull();
  });

  it('rebuilds one task, or the tasks touched since a sequence, leaving the others as they are', async () => {
    const [row] = await h.sql<{ task_id: string }[]>`select task_id from tasks limit 1`;
    const taskId = row!.task_id;
    await h.sql`update tasks set message = 'tampered' where task_id = ${taskId}`;
    expect((await h.cli('verify')).code).toBe(1);
    const one = await h.cli('rebuild', '--task', taskId);
    expect(one.out).toMatch(/rebuilt task .*: 1 tasks, 5 filings from 13 events/);
    expect((await h.cli('verify')).code).toBe(0);

    const head = await h.head();
    const fresh = newTaskId();
    await publishAll(h.pub, taskEvents(fresh, 9_999));
    await h.waitForCheckpoint(head + 13);
    await h.sql`update tasks set progress = 1 where task_id = ${fresh}`;
    const since = await h.cli('rebuild', '--from-seq', String(head + 1));
    expect(since.out).toMatch(/: 1 tasks, 5 filings/);
    expect((await h.cli('verify')).code).toBe(0);
  });

  it('runs one rebuild at a time', async () => {
    const held = await tryAdvisoryLock(h.sql, REBUILD_LOCK);
    try {
      const second = await h.cli('rebuild');
      expect(second.code).toBe(1);
      expect(second.out).toMatch(/rebuild refused: another rebuild is running \(pid \d+/);
    } finally {
      await held?.release();
    }
  });

  it('prints every difference and exits non-zero; a dead letter retried re-folds its task', async () => {
    // As if an older build had refused the task's last event: the row lacks it, a dead letter holds it.
    const taskId = newTaskId();
    const events = taskEvents(taskId, 4_242);
    const head = await h.head();
    await publishAll(h.pub, events);
    await h.waitForCheckpoint(head + events.length);
    const last = events.at(-1)!;
    await h.sql`update tasks set status = 'processing', progress = 94 where task_id = ${taskId}`;
    const [letter] = await h.sql<{ id: string }[]>`
      insert into dead_letters (source, subject, seq, payload, reason)
      values (${TASK_STATUS_PROJECTION}, ${subjects.event(taskId, last.type)}, ${head + events.length}, ${JSON.stringify(last)}, 'future-version: test')
      returning id`;
    const verify = await h.cli('verify');
    expect(verify.code).toBe(1);
    expect(verify.out).toContain(`DIFF task ${taskId} status: expected "completed", found "processing"`);
    expect(verify.out).toContain(`DIFF task ${taskId} progress: expected 100, found 94`);
    const retry = await h.cli('dead-letters', 'retry', letter!.id);
    expect(retry.out).toMatch(/retried: task .* re-folded from 13 events/);
    expect(retry.code).toBe(0);
    expect((await h.cli('verify')).code).toBe(0);
    const [after] = await h.sql`select retried_at from dead_letters where id = ${letter!.id}`;
    expect(after?.retried_at).not.toBeNull();
    expect((await h.cli('dead-letters', 'list')).out).toMatch(/no dead letters waiting/);
    await sleep(10);
  });
});
