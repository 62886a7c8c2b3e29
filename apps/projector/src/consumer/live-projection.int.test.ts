import { jetstreamManager } from '@nats-io/jetstream';
import {
  INGEST_STREAM,
  newTaskId,
  STATUS_VERSION_HEADER,
  TaskStatusSchema,
  TASK_STATUS_PROJECTION,
  type TaskStatus,
} from '@symbology/contracts';
import { taskWithOneFailure } from '@symbology/contracts/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CheckpointMismatchError } from '../errors';
import { startProjector } from '../start-projector';
import { startHarness, type Harness } from '../testing/harness';
import { publishAll } from '../testing/publish-all';

const snapshot = async (h: Harness) => ({
  tasks: await h.sql`select * from tasks order by task_id`,
  filings: await h.sql`select * from task_filings order by task_id, position`,
});

describe('the live projector on a real nats-server and Postgres', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('projects every event, publishes strictly increasing versions and the terminal state on status.<taskId>', async () => {
    const taskId = newTaskId();
    const seen: TaskStatus[] = [];
    const headerVersions: number[] = [];
    const sub = h.operator.subscribe(`status.${taskId}`, {
      callback: (_err, msg) => {
        const parsed = TaskStatusSchema.safeParse(msg.json());
        if (parsed.success) seen.push(parsed.data);
        headerVersions.push(Number(msg.headers?.get(STATUS_VERSION_HEADER)));
      },
    });
    const projector = await startProjector({ ...h.config, batchSize: 3, httpPort: 0 });
    try {
      await publishAll(h.pub, taskWithOneFailure(taskId));
      await h.waitForCheckpoint(await h.head());
      const ops = `http://127.0.0.1:${projector.httpPort}`;
      expect((await fetch(`${ops}/healthz`)).status).toBe(200);
      const ready = await fetch(`${ops}/readyz`);
      expect(await ready.json()).toMatchObject({
        ready: true,
        failing: [],
        checks: {
          nats: { ok: true },
          database: { ok: true },
          lock: { ok: true },
          consumer: { ok: true },
          checkpoint: { ok: true },
        },
      });
      const metrics = await (await fetch(`${ops}/metrics`)).text();
      expect(metrics).toMatch(/^projector_events_projected_total 13$/m);
      expect(metrics).toMatch(/^projector_lag_events 0$/m);
      expect(metrics).toMatch(/^projector_reorder_buffer_size 0$/m);
      const head = await h.head();
      await vi.waitFor(() => expect(seen.at(-1)?.version).toBe(head));
      const versions = seen.map((s) => s.version);
      expect(versions.length).toBeGreaterThan(1);
      expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
      expect(headerVersions).toEqual(versions);
      expect(seen.at(-1)).toMatchObject({ status: 'completed_with_errors', progress: 100, version: head });
      const verify = await h.cli('verify');
      expect(verify.out).toMatch(/: OK/);
      expect(verify.code).toBe(0);
    } finally {
      sub.unsubscribe();
      await projector.stop();
    }
  });

  it('gives the same rows when every event is delivered twice', async () => {
    const projector = await startProjector(h.config);
    await publishAll(h.pub, taskWithOneFailure(newTaskId()));
    await h.waitForCheckpoint(await h.head());
    await projector.stop();
    const before = await snapshot(h);

    // Replace the durable with one that starts again at seq 1: everything is redelivered.
    const jsm = await jetstreamManager(h.operator);
    await jsm.consumers.delete(INGEST_STREAM, TASK_STATUS_PROJECTION);
    await jsm.consumers.add(INGEST_STREAM, {
      durable_name: TASK_STATUS_PROJECTION,
      ack_policy: 'explicit',
      deliver_policy: 'all',
      filter_subject: 'ingest.>',
    });
    const again = await startProjector(h.config);
    const deadline = Date.now() + 20_000;
    while ((await jsm.consumers.info(INGEST_STREAM, TASK_STATUS_PROJECTION)).ack_floor.stream_seq < (await h.head())) {
      if (Date.now() > deadline) throw new Error('redeliveries were not acked');
      await new Promise((r) => setTimeout(r, 50));
    }
    await again.stop();
    expect(await snapshot(h)).toEqual(before);
    expect((await h.cli('verify')).code).toBe(0);
  });

  it('records a poison message as a dead letter and goes on projecting later events', async () => {
    const projector = await startProjector(h.config);
    try {
      const bad = newTaskId();
      await h.pub.ingestor.publish(`ingest.${bad}.filing_completed`, '{"this is": not json');
      const wrongSubject = taskWithOneFailure(newTaskId())[2]!;
      await h.pub.ingestor.publish(`ingest.${bad}.filing_started`, JSON.stringify(wrongSubject));
      const later = newTaskId();
      await publishAll(h.pub, taskWithOneFailure(later));
      await h.waitForCheckpoint(await h.head());
      const letters = await h.sql<
        { subject: string; reason: string }[]
      >`select subject, reason from dead_letters order by id`;
      expect(letters.map((l) => l.reason.split(':')[0])).toEqual(['invalid-json', 'subject-mismatch']);
      expect(letters[0]!.subject).toBe(`ingest.${bad}.filing_completed`);
      const [row] = await h.sql`select status from tasks where task_id = ${later}`;
      expect(row?.status).toBe('completed_with_errors');
      expect((await h.cli('verify')).code).toBe(0);
      const list = await h.cli('dead-letters', 'list');
      expect(list.out).toContain(`ingest.${bad}.filing_completed`);
      const retry = await h.cli('dead-letters', 'retry', '1');
      expect(retry.code).toBe(1);
      expect(retry.out).toMatch(/still unusable \(invalid-json\)/);
    } finally {
      await projector.stop();
    }
  });

  it('reports the lag and the dead letters', async () => {
    const head = await h.head();
    await h.waitForCheckpoint(head);
    await publishAll(h.pub, taskWithOneFailure(newTaskId()).slice(0, 4));
    const lag = await h.cli('lag', '--json');
    expect(lag.code).toBe(0);
    expect(JSON.parse(lag.out)).toMatchObject({
      head: head + 4,
      checkpoint: head,
      lag: 4,
      deadLetters: { total: 2, pending: 2 },
      checkpointFits: true,
    });
    const text = await h.cli('lag');
    expect(text.out).toMatch(/lag\s+4 events/);
    const projector = await startProjector(h.config);
    await h.waitForCheckpoint(head + 4);
    await projector.stop();
    expect(JSON.parse((await h.cli('lag', '--json')).out)).toMatchObject({ lag: 0 });
  });

  it('lets a second instance stand by on the advisory lock and take over when the first stops', async () => {
    const first = await startProjector(h.config);
    await first.running;
    const second = await startProjector(h.config);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(second.state).toBe('waiting-for-lock');
    await first.stop();
    await second.running;
    await publishAll(h.pub, taskWithOneFailure(newTaskId()));
    await h.waitForCheckpoint(await h.head());
    await second.stop();
  });

  it('lets a batch wait for more events: a full batch commits at once, a lone one after the linger', async () => {
    const batchCounts = async (ops: string) => {
      const metrics = await (await fetch(`${ops}/metrics`)).text();
      const value = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(metrics)?.[1]);
      return { batches: value('projector_batch_size_count'), events: value('projector_batch_size_sum') };
    };
    // A linger longer than the test: the 13 events can only commit because the batch filled up.
    const waiting = await startProjector({ ...h.config, batchSize: 13, lingerMs: 600_000, httpPort: 0 });
    try {
      await waiting.running;
      const [first, ...rest] = taskWithOneFailure(newTaskId());
      await publishAll(h.pub, [first!]);
      // The first event has reached the projector on its own (without the linger it commits alone).
      const jsm = await jetstreamManager(h.operator);
      const head = await h.head();
      await vi.waitFor(async () =>
        expect((await jsm.consumers.info(INGEST_STREAM, TASK_STATUS_PROJECTION)).delivered.stream_seq).toBe(head),
      );
      await publishAll(h.pub, rest);
      await h.waitForCheckpoint(await h.head());
      expect(await batchCounts(`http://127.0.0.1:${waiting.httpPort}`)).toEqual({ batches: 1, events: 13 });
    } finally {
      await waiting.stop();
    }
    // Batches that never fill still commit, once the linger is over.
    const lingering = await startProjector({ ...h.config, batchSize: 1_000, lingerMs: 200, httpPort: 0 });
    try {
      await lingering.running;
      await publishAll(h.pub, taskWithOneFailure(newTaskId()));
      await h.waitForCheckpoint(await h.head());
      const { batches, events } = await batchCounts(`http://127.0.0.1:${lingering.httpPort}`);
      expect(events).toBe(13);
      expect(batches).toBeGreaterThanOrEqual(1);
    } finally {
      await lingering.stop();
    }
  });

  it('refuses to start when the checkpoint is ahead of the stream or from another stream', async () => {
    const head = await h.head();
    await h.sql`update projection_checkpoints set last_seq = ${head + 100}`;
    await expect(startProjector(h.config)).rejects.toThrow(CheckpointMismatchError);
    await expect(startProjector(h.config)).rejects.toThrow(/checkpoint \(seq \d+\) is ahead of stream INGEST/);
    await h.sql`update projection_checkpoints set last_seq = ${head}, stream_created_at = stream_created_at - interval '1 day'`;
    await expect(startProjector(h.config)).rejects.toThrow(/deleted and recreated/);
    expect(JSON.parse((await h.cli('lag', '--json')).out)).toMatchObject({ checkpointFits: false });
    // The documented way out: a full rebuild resets the checkpoint to this stream.
    const rebuilt = await h.cli('rebuild');
    expect(rebuilt.out).toMatch(/checkpoint reset/);
    const projector = await startProjector(h.config);
    await projector.stop();
    expect((await h.cli('verify')).code).toBe(0);
  });
});
