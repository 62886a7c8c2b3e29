import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import {
  evolve,
  INGEST_STREAM,
  isTerminal,
  newTaskId,
  TASK_STATUS_PROJECTION,
  type IngestEvent,
  type TaskStatus,
} from '@symbology/contracts';
import { happyTask, SAMPLE_FILINGS } from '@symbology/contracts/testing';
import { createDb, readTaskStatusCovered } from '@symbology/db';
import { ensureStreams, publishEvent } from '@symbology/service';
import { startTestSystem, type TestSystem } from '@symbology/test-system';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EdgeFold } from './edge-fold';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(async () => {
  await system?.stop();
});

describe('EdgeFold on a real INGEST stream', () => {
  it('given INGEST deleted and recreated, starts over on the new sequences and has subscribers re-read', async () => {
    const web = await system.nats.connect('web');
    const ingestor = jetstream(await system.nats.connect('ingestor'));
    const webJs = jetstream(web);
    const publish = (event: IngestEvent) =>
      publishEvent(event.type === 'IngestRequested' ? webJs : ingestor, event).then((ack) => ack.seq);
    const statuses: TaskStatus[] = [];
    let gaps = 0;
    const edge = new EdgeFold({
      js: webJs,
      jsm: await jetstreamManager(web),
      logger: pino({ level: 'silent' }),
      onStatus: (s) => statuses.push(s),
      onGap: () => gaps++,
      isWatched: () => true,
      streamCheckMs: 100,
    });
    await edge.start();
    try {
      // The old stream runs ahead of what the new one will hold.
      for (const event of happyTask(newTaskId(), SAMPLE_FILINGS.slice(0, 3))) await publish(event);
      await vi.waitFor(() => expect(edge.stats.lastSeq).toBeGreaterThan(5), { timeout: 20_000 });

      const operator = jetstreamManager(system.operator);
      await (await operator).streams.delete(INGEST_STREAM);
      await ensureStreams(system.operator);
      // Before the fix the edge never noticed: no re-read, and the new sequences were ignored.
      await vi.waitFor(() => expect(gaps).toBe(1), { timeout: 20_000 });

      const [requested, ...rest] = happyTask(newTaskId(), SAMPLE_FILINGS.slice(0, 1));
      const taskId = requested!.taskId;
      const created = new Date((await (await operator).streams.info(INGEST_STREAM)).created);
      edge.found(taskId, undefined, edge.stats.lastSeq, created);
      const seqs = [await publish(requested!)];
      for (const event of rest) seqs.push(await publish(event));
      expect(seqs[0]).toBe(1);
      await vi.waitFor(() => expect(statuses.filter((s) => s.taskId === taskId).at(-1)?.version).toBe(seqs.at(-1)), {
        timeout: 20_000,
      });
      expect(isTerminal(edge.current(taskId)!)).toBe(true);
    } finally {
      await edge.stop();
      await web.close();
    }
  });

  it('given a projector checkpoint of the stream before INGEST was recreated, folds a new task from the stream', async () => {
    const web = await system.nats.connect('web');
    const ingestor = jetstream(await system.nats.connect('ingestor'));
    const webJs = jetstream(web);
    const jsm = await jetstreamManager(web);
    const db = createDb(system.database.url, { max: 2 });
    const publish = (event: IngestEvent) =>
      publishEvent(event.type === 'IngestRequested' ? webJs : ingestor, event).then((ack) => ack.seq);
    let gaps = 0;
    const edge = new EdgeFold({
      js: webJs,
      jsm,
      logger: pino({ level: 'silent' }),
      onStatus: () => {},
      onGap: () => gaps++,
      isWatched: () => true,
      streamCheckMs: 100,
    });
    await edge.start();
    try {
      // The projector has folded the old stream through seq 10000; then INGEST is recreated and
      // the projector has not been rebuilt yet: its checkpoint still names the old stream.
      const oldCreated = (await jsm.streams.info(INGEST_STREAM)).created;
      await db.$client`insert into projection_checkpoints (projection, stream, last_seq, stream_created_at)
        values (${TASK_STATUS_PROJECTION}, ${INGEST_STREAM}, 10000, ${new Date(oldCreated).toISOString()})
        on conflict (projection) do update set last_seq = excluded.last_seq, stream_created_at = excluded.stream_created_at`;
      await (await jetstreamManager(system.operator)).streams.delete(INGEST_STREAM);
      await ensureStreams(system.operator);
      await vi.waitFor(() => expect(gaps).toBe(1), { timeout: 20_000 });

      const events = happyTask(newTaskId(), SAMPLE_FILINGS.slice(0, 1));
      const taskId = events[0]!.taskId;
      let expected: TaskStatus | undefined;
      const seq = await publish(events[0]!);
      expected = evolve(expected, events[0]!, seq);
      await vi.waitFor(() => expect(edge.stats.lastSeq).toBe(seq), { timeout: 20_000 });
      // As a subscription founds the task: the projected row (none) with the checkpoint it covers.
      const covered = await readTaskStatusCovered(db.$client, taskId);
      expect(covered).toMatchObject({ status: undefined, coveredThrough: 10000 });
      // Before the fix: founded on "not projected, complete through 10000", its first event dropped.
      expect(edge.found(taskId, covered.status, covered.coveredThrough!, covered.streamCreatedAt!)).toEqual({
        status: expected,
      });
      for (const event of events.slice(1)) expected = evolve(expected, event, await publish(event));
      await vi.waitFor(() => expect(edge.current(taskId)).toEqual(expected), { timeout: 20_000 });
      expect(isTerminal(edge.current(taskId)!)).toBe(true);
    } finally {
      await edge.stop();
      await web.close();
      await db.$client.end();
    }
  });
});
