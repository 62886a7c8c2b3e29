import { isTerminalEvent } from '@symbology/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnIngestor, waitFor, type ChildIngestor } from '../testing/child-ingestor';
import { startHarness, type Harness } from '../testing/harness';

/** The production default (env.ts): what an operator gets without tuning. */
const ACK_WAIT_MS = Number(process.env.RECOVERY_ACK_WAIT_MS ?? 10_000);

// Figures for docs/operations.md ("Recovery times"): two replicas share the work, the one holding a
// task dies, and the clock runs from the signal to the next step the other replica stores.
describe(
  'recovery time of a task whose replica dies or stops (two ingestor processes)',
  { timeout: ACK_WAIT_MS * 3 + 60_000 },
  () => {
    let h: Harness;
    let replicas: ChildIngestor[] = [];
    beforeAll(async () => {
      h = await startHarness();
    });
    afterEach(async () => {
      for (const c of replicas)
        if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGKILL');
      await Promise.all(replicas.map((c) => c.exited));
      replicas = [];
      h.mirror.clearFaults();
      await h.forgetFilings();
    });
    afterAll(async () => h?.close());

    const startReplicas = async () => {
      replicas = [0, 1].map(() => spawnIngestor(h, process.env, { INGEST_ACK_WAIT_MS: String(ACK_WAIT_MS) }));
      await Promise.all(
        replicas.map((r) =>
          waitFor(async () => (/ingestor started/.test(r.output()) ? true : undefined), 30_000, 'start'),
        ),
      );
    };
    /** The replica whose log names the task once its first filing is stored. */
    const holderOf = async (taskId: string) => {
      await waitFor(
        async () => ((await h.stored(taskId)).some((s) => s.event.type === 'FilingCompleted') ? true : undefined),
        30_000,
        'the first FilingCompleted',
      );
      // The step is on the stream before its log line has crossed the pipe: wait for the line.
      return waitFor(
        async () => replicas.find((r) => r.output().includes(taskId)),
        10_000,
        'a replica logging the task',
      );
    };
    /** Milliseconds from `since` to the first step stored after it, and the task's outcome. */
    const stall = async (taskId: string, since: number) => {
      const before = (await h.stored(taskId)).length;
      const nextAt = await waitFor(
        async () => {
          const stored = await h.stored(taskId);
          return stored.length > before ? Date.parse(stored[before]!.event.occurredAt) : undefined;
        },
        ACK_WAIT_MS * 3 + 30_000,
        'the next step',
      );
      const events = await h.waitForTerminal(taskId, 60_000);
      return { ms: nextAt - since, terminal: events.filter(isTerminalEvent).map((e) => e.type) };
    };

    it('after kill -9 of the holder: the other replica resumes within ack_wait', async () => {
      await startReplicas();
      h.mirror.inject({ pattern: '/Archives/', delayMs: 700 });
      const taskId = await h.request('SYMB');
      const holder = await holderOf(taskId);
      const killedAt = Date.now();
      holder.process.kill('SIGKILL');
      const { ms, terminal } = await stall(taskId, killedAt);
      console.log(`recovery after kill -9 (ack_wait ${ACK_WAIT_MS} ms): next step after ${ms} ms`);
      expect(terminal).toEqual(['IngestCompleted']);
      expect(ms).toBeLessThan(ACK_WAIT_MS + 3_000);
    });

    it('after SIGTERM of the holder: the task is handed back and resumed in about the time of one filing', async () => {
      await startReplicas();
      h.mirror.inject({ pattern: '/Archives/', delayMs: 700 });
      const taskId = await h.request('SYMB');
      const holder = await holderOf(taskId);
      const stoppedAt = Date.now();
      holder.process.kill('SIGTERM');
      const { ms, terminal } = await stall(taskId, stoppedAt);
      console.log(`recovery after SIGTERM (ack_wait ${ACK_WAIT_MS} ms): next step after ${ms} ms`);
      expect(terminal).toEqual(['IngestCompleted']);
      expect(ms).toBeLessThan(5_000);
    });
  },
);
