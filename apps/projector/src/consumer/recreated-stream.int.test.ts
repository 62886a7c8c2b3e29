import { jetstreamManager } from '@nats-io/jetstream';
import { INGEST_STREAM, newTaskId } from '@symbology/contracts';
import { taskWithOneFailure } from '@symbology/contracts/testing';
import { ensureStreams } from '@symbology/service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointMismatchError } from '../errors';
import { advanceCheckpoint, readCheckpoint } from '../projections/task-status/checkpoint';
import { startProjector } from '../start-projector';
import { startHarness, type Harness } from '../testing/harness';
import { publishAll } from '../testing/publish-all';

describe('INGEST deleted and recreated under a running projector', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('stops with CheckpointMismatchError and projects nothing of the new stream', async () => {
    const projector = await startProjector({ ...h.config, httpPort: 0 });
    try {
      await projector.running;
      await publishAll(h.pub, taskWithOneFailure(newTaskId()));
      const oldHead = await h.head();
      await h.waitForCheckpoint(oldHead);
      const before = await readCheckpoint(h.sql);

      const jsm = await jetstreamManager(h.operator);
      await jsm.streams.delete(INGEST_STREAM);
      await ensureStreams(h.operator);
      // The new stream runs past the old checkpoint: before the fix its sequences 1..oldHead were
      // skipped and the rest folded onto blank tasks.
      const newTasks = [newTaskId(), newTaskId()];
      for (const id of newTasks) await publishAll(h.pub, taskWithOneFailure(id));
      expect(await h.head()).toBeGreaterThan(oldHead);

      const stopped = await Promise.race([
        projector.done.then(
          () => 'stopped without an error',
          (error: unknown) => error,
        ),
        new Promise((resolve) => setTimeout(() => resolve('still running'), 15_000)),
      ]);
      expect(stopped).toBeInstanceOf(CheckpointMismatchError);
      expect(String(stopped)).toMatch(/deleted and recreated\). Run `symbology-projector rebuild`/);
      expect(projector.state).toBe('failed');
      const projected = await h.sql`select task_id from tasks where task_id in ${h.sql(newTasks)}`;
      expect(projected).toHaveLength(0);
      expect(await readCheckpoint(h.sql)).toMatchObject({
        lastSeq: oldHead,
        streamCreatedAt: before!.streamCreatedAt,
      });
      // It refuses to start again until the documented rebuild.
      await expect(startProjector(h.config)).rejects.toThrow(/deleted and recreated/);
    } finally {
      await projector.stop();
    }
  });

  it("does not advance a checkpoint written for another stream's creation time", async () => {
    const now = await readCheckpoint(h.sql);
    const other = new Date(now!.streamCreatedAt.getTime() - 86_400_000);
    const seq = now!.lastSeq;
    expect(await advanceCheckpoint(h.sql, seq, seq + 1, { streamCreatedAt: other })).toBe('conflict');
    expect((await readCheckpoint(h.sql))?.lastSeq).toBe(seq);
    expect(await advanceCheckpoint(h.sql, seq, seq, { streamCreatedAt: now!.streamCreatedAt })).toBe('moved');
  });
});
