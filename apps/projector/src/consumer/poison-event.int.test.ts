import { setTimeout as sleep } from 'node:timers/promises';
import { newTaskId, SET_ASIDE_ERROR, STATUS_REPLACE_HEADER, STATUS_VERSION_HEADER } from '@symbology/contracts';
import { taskWithOneFailure } from '@symbology/contracts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProjector } from '../start-projector';
import { startHarness, type Harness } from '../testing/harness';
import { publishAll } from '../testing/publish-all';

type Readiness = { ready: boolean; failing: string[]; checks: Record<string, { ok: boolean; detail?: string }> };

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('an event the database refuses does not wedge the projector', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('sets it aside as a dead letter with its SQLSTATE, marks its task, projects what follows, and verify says so', async () => {
    // What each announcement said: `task version[ replace]`.
    const announced: string[] = [];
    const sub = h.operator.subscribe('status.>', {
      callback: (_err, msg) => {
        const replace = msg.headers?.get(STATUS_REPLACE_HEADER) === '1' ? ' replace' : '';
        announced.push(`${msg.subject.slice('status.'.length)} ${msg.headers?.get(STATUS_VERSION_HEADER)}${replace}`);
      },
    });
    const projector = await startProjector({ ...h.config, batchSize: 50, poisonAttempts: 2, httpPort: 0 });
    try {
      // A publisher with a broken clock: year 0 parses as an ISO date-time, Postgres refuses it (22008).
      const poisoned = newTaskId();
      const events = taskWithOneFailure(poisoned);
      const last = events.at(-1)!;
      events[events.length - 1] = { ...last, occurredAt: '0000-01-01T00:00:00Z' };
      const later = newTaskId();
      await publishAll(h.pub, [...events, ...taskWithOneFailure(later)]);
      const head = await h.head();
      await h.waitForCheckpoint(head);

      const [healthy] = await h.sql<{ status: string }[]>`select status from tasks where task_id = ${later}`;
      expect(healthy?.status).toBe('completed_with_errors');
      const [marked] = await h.sql<
        { status: string; error: string | null; version: string }[]
      >`select status, error, version from tasks where task_id = ${poisoned}`;
      expect(marked).toMatchObject({ status: 'failed', error: SET_ASIDE_ERROR });
      const letters = await h.sql<{ seq: string; reason: string }[]>`select seq, reason from dead_letters`;
      expect(letters).toHaveLength(1);
      expect(letters[0]!.reason).toMatch(/^unwritable: SQLSTATE 22008: /);
      const poisonSeq = Number(letters[0]!.seq);
      expect(Number(marked!.version)).toBe(poisonSeq);
      // `failed` at the version where a web process's own fold of the stream holds `completed`:
      // announced as a replacement (before the fix, it was dropped there as already held).
      await h.operator.flush();
      expect(announced.filter((a) => a.endsWith(' replace'))).toEqual([`${poisoned} ${poisonSeq} replace`]);
      expect(announced).toContain(`${later} ${head}`);

      const metrics = await (await fetch(`http://127.0.0.1:${projector.httpPort}/metrics`)).text();
      expect(metrics).toMatch(/^projector_events_set_aside_total 1$/m);

      const verify = await h.cli('verify');
      expect(verify.out).not.toMatch(/DIFF/);
      expect(verify.out).toContain(`SET ASIDE seq ${poisonSeq}: unwritable: SQLSTATE 22008`);
      expect(verify.out).toMatch(/ATTENTION: 1 event\(s\) could not be written/);
      expect(verify.code).toBe(1);

      // A rebuild folds the set-aside event the same way (it would meet the same refusal otherwise).
      const rebuilt = await h.cli('rebuild');
      expect(rebuilt.code).toBe(0);
      expect((await h.cli('verify')).out).not.toMatch(/DIFF/);
    } finally {
      sub.unsubscribe();
      await projector.stop();
    }
  });

  // The write that sets the event aside meets what any write can; a lock held on dead_letters
  // (which only that write touches) holds it until the fault is injected into its backend.
  it.each([
    ['cancelled (57014, as a statement timeout)', 'cancel'],
    ['a deadlock victim (40P01)', 'deadlock'],
  ] as const)('retries a set-aside write that is %s, instead of exiting', async (_what, fault) => {
    const projector = await startProjector({ ...h.config, batchSize: 50, poisonAttempts: 2, httpPort: 0 });
    const blocker = await h.sql.reserve();
    try {
      await projector.running;
      await h.waitForCheckpoint(await h.head());
      await blocker`begin`;
      await blocker`lock table dead_letters in access exclusive mode`;
      const poisoned = newTaskId();
      const events = taskWithOneFailure(poisoned);
      events[events.length - 1] = { ...events.at(-1)!, occurredAt: '0000-01-01T00:00:00Z' };
      await publishAll(h.pub, events);
      const head = await h.head();
      const { pid } = await waitFor('the set-aside write to wait on dead_letters', async () => {
        const [row] = await h.sql<{ pid: number }[]>`
          select pid from pg_locks
          where relation = 'dead_letters'::regclass and not granted
            and database = (select oid from pg_database where datname = current_database())`;
        return row;
      });
      if (fault === 'cancel') {
        await h.sql`select pg_cancel_backend(${pid})`;
      } else {
        // The set-aside write holds the checkpoint row and waits on dead_letters; the blocker now
        // waits on the checkpoint row. The projector's backend, waiting longer, detects the cycle.
        await blocker`set local deadlock_timeout = '10s'`;
        await blocker`select * from projection_checkpoints for update`.catch(() => {});
      }
      await blocker`rollback`;
      const failed = projector.done.then(
        () => new Error('the projector stopped'),
        (error: unknown) => error,
      );
      await Promise.race([h.waitForCheckpoint(head), failed.then((error) => Promise.reject(error as Error))]);
      expect(projector.state).toBe('running');
      const letters = await h.sql<{ reason: string }[]>`select reason from dead_letters where seq = ${head}`;
      expect(letters).toHaveLength(1);
      expect(letters[0]!.reason).toMatch(/^unwritable: SQLSTATE 22008: /);
      const [marked] = await h.sql<{ error: string | null }[]>`select error from tasks where task_id = ${poisoned}`;
      expect(marked?.error).toBe(SET_ASIDE_ERROR);
      const metrics = await (await fetch(`http://127.0.0.1:${projector.httpPort}/metrics`)).text();
      expect(metrics).toMatch(/^projector_transient_errors_total 1$/m);
      expect(metrics).toMatch(/^projector_events_set_aside_total 1$/m);
    } finally {
      blocker.release();
      await projector.stop();
    }
  });

  it('answers /readyz with a failing `checkpoint` check while the checkpoint cannot move, and recovers', async () => {
    const projector = await startProjector({ ...h.config, stallMs: 1_000, httpPort: 0 });
    const readyz = async () =>
      (await (await fetch(`http://127.0.0.1:${projector.httpPort}/readyz`)).json()) as Readiness;
    const blocker = await h.sql.reserve();
    try {
      await projector.running;
      await h.waitForCheckpoint(await h.head());
      // Hold the checkpoint row: every batch waits on it, as it would on a wedged database.
      await blocker`begin`;
      await blocker`select * from projection_checkpoints for update`;
      await publishAll(h.pub, taskWithOneFailure(newTaskId()));
      const stalled = await waitFor('a stalled checkpoint', async () => {
        const r = await readyz();
        return r.failing.includes('checkpoint') ? r : undefined;
      });
      expect(stalled.ready).toBe(false);
      expect(stalled.checks.checkpoint?.detail).toMatch(/^stalled at seq \d+ for \d+ s \(stream head \d+\)$/);
      await blocker`rollback`;
      await h.waitForCheckpoint(await h.head());
      await waitFor('readiness again', async () => ((await readyz()).ready ? true : undefined));
    } finally {
      blocker.release();
      await projector.stop();
    }
  });
});
