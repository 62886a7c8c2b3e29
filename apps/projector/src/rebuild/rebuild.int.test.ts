import { setTimeout as sleep } from 'node:timers/promises';
import {
  foldStream,
  newTaskId,
  STATUS_REPLACE_HEADER,
  STATUS_VERSION_HEADER,
  subjects,
  TASK_STATUS_PROJECTION,
  type StreamEntry,
} from '@symbology/contracts';
import { taskWithOneFailure } from '@symbology/contracts/testing';
import { LIVE_TASK_TABLES, loadStatuses } from '@symbology/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConnections } from '../connections';
import { REBUILD_LOCK, tryAdvisoryLock } from '../consumer/advisory-lock';
import { createLogger } from '../logger';
import { startProjector, type RunningProjector } from '../start-projector';
import { readRange } from '../stream/read-range';
import { startHarness, type Harness } from '../testing/harness';
import { publishAll } from '../testing/publish-all';
import { diffStatuses } from '../verify/diff-statuses';
import { rebuild } from './rebuild';

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
    await publishAll(h.pub, Array.from({ length: 100 }, () => taskWithOneFailure(newTaskId())).flat());
    const during = Array.from({ length: 300 }, () => taskWithOneFailure(newTaskId())).flat();
    const publishing = publishAll(h.pub, during, 200);
    await h.waitForCheckpoint(1_500);
    // A row no event wrote: the only difference between the live tables and the rebuilt ones.
    const stray = newTaskId();
    await h.sql`insert into tasks (task_id, ticker, status, progress, message, steps_completed, total_steps, version, created_at, updated_at)
      values (${stray}, 'STRAY', 'processing', 5, 'stray', 0, 1, 1, now(), now())`;
    await h.sql`insert into task_filings (task_id, accession, position, form, fiscal_year, report_date, status)
      values (${stray}, '0000000000-00-000000', 0, '10-K', 2024, '2024-09-30', 'pending')`;
    const rebuilt = await h.cli('rebuild');
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.out).toMatch(/: \d+ tasks \(1 changed\), \d+ filings \(1 changed\)/);
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
    // One filing changed, one missing, one that should not be there.
    const [first, second] = await h.sql<{ accession: string }[]>`
      select accession from task_filings where task_id = ${taskId} order by position limit 2`;
    await h.sql`update task_filings set status = 'failed' where task_id = ${taskId} and accession = ${first!.accession}`;
    await h.sql`delete from task_filings where task_id = ${taskId} and accession = ${second!.accession}`;
    await h.sql`insert into task_filings (task_id, accession, position, form, fiscal_year, report_date, status)
      values (${taskId}, '0000000000-00-000001', 9, '10-K', 2015, '2015-09-30', 'pending')`;
    expect((await h.cli('verify')).code).toBe(1);
    const announced: Array<{ version: string | undefined; replace: string | undefined }> = [];
    const sub = h.operator.subscribe(`status.${taskId}`, {
      callback: (_err, msg) => {
        announced.push({
          version: msg.headers?.get(STATUS_VERSION_HEADER),
          replace: msg.headers?.get(STATUS_REPLACE_HEADER),
        });
      },
    });
    const one = await h.cli('rebuild', '--task', taskId);
    expect(one.out).toMatch(/rebuilt task .*: 1 tasks \(1 changed\), 5 filings \(3 changed\) from 13 events/);
    expect((await h.cli('verify')).code).toBe(0);
    // The rows changed, the version did not: a web process holding that version takes it as a replacement.
    await h.operator.flush();
    sub.unsubscribe();
    const [rebuilt] = await h.sql<{ version: string }[]>`select version from tasks where task_id = ${taskId}`;
    expect(announced).toEqual([{ version: rebuilt!.version, replace: '1' }]);

    const head = await h.head();
    const fresh = newTaskId();
    await publishAll(h.pub, taskWithOneFailure(fresh));
    await h.waitForCheckpoint(head + 13);
    await h.sql`update tasks set progress = 1 where task_id = ${fresh}`;
    const since = await h.cli('rebuild', '--from-seq', String(head + 1));
    expect(since.out).toMatch(/: 1 tasks \(1 changed\), 5 filings \(0 changed\)/);
    expect((await h.cli('verify')).code).toBe(0);
  });

  it('keeps --from-seq to the tasks of its pre-scan when an older task gets events during the catch-up', async () => {
    // `older` has history before N and none since; `touched` has events on both sides of N.
    const older = newTaskId();
    const touched = newTaskId();
    const olderEvents = taskWithOneFailure(older);
    const touchedEvents = taskWithOneFailure(touched);
    await publishAll(h.pub, [...olderEvents.slice(0, 8), ...touchedEvents.slice(0, 6)]);
    await h.waitForCheckpoint(await h.head());
    const fromSeq = (await h.head()) + 1;
    await publishAll(h.pub, touchedEvents.slice(6));
    await h.waitForCheckpoint(await h.head());

    const conns = await openConnections(h.config, 'rebuild-int-test');
    try {
      let lateHead = 0;
      const report = await rebuild({
        ...conns,
        logger: createLogger('error'),
        scope: { kind: 'from-seq', fromSeq },
        // Pre-scan, replay and catch-up are done; the swap has not locked the checkpoint yet. The
        // older task's next events are projected live now, so the swap's final catch-up reads them.
        onProgress: async ({ phase }) => {
          if (phase !== 'swap' || lateHead > 0) return;
          await publishAll(h.pub, olderEvents.slice(8));
          lateHead = await h.head();
          await h.waitForCheckpoint(lateHead);
        },
      });
      expect(lateHead).toBeGreaterThan(0);
      expect(report.throughSeq).toBeGreaterThanOrEqual(lateHead);

      const history: StreamEntry[] = [];
      for await (const chunk of readRange(conns.js, { fromSeq: 1, toSeq: lateHead, filter: subjects.task(older) }))
        history.push(...chunk);
      expect(history).toHaveLength(olderEvents.length);
      const stored = await loadStatuses(h.sql, LIVE_TASK_TABLES, [older]);
      expect(diffStatuses(foldStream(history).statuses, stored)).toEqual([]);
      expect(stored.get(older)?.status).toBe('completed_with_errors');
      expect((await h.cli('verify')).code).toBe(0);
      // Only `touched`, whose live row was already right.
      expect(report).toMatchObject({ tasks: 1, filings: 5, changedTasks: 0, changedFilings: 0 });
    } finally {
      await conns.close();
    }
  });

  it('refuses a task id the stream does not hold, and a --from-seq no task reaches, instead of reporting success', async () => {
    const unknown = newTaskId();
    const one = await h.cli('rebuild', '--task', unknown);
    expect(one.out).toBe(
      `rebuild refused: stream INGEST holds no event of task ${unknown}: check the task id (symbology status <taskId>)\n`,
    );
    expect(one.code).toBe(1);
    const head = await h.head();
    const since = await h.cli('rebuild', '--from-seq', String(head + 1_000));
    expect(since.out).toMatch(new RegExp(`^rebuild refused: no task has an event at seq ${head + 1_000} or later`));
    expect(since.code).toBe(1);
    expect((await h.sql`select to_regclass('tasks_rebuild') as t`)[0]?.t).toBeNull();
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
    const events = taskWithOneFailure(taskId);
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
    expect(verify.out).toContain(`DIFF task ${taskId} status: expected "completed_with_errors", found "processing"`);
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
