import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { INGEST_STREAM, isTerminal, newTaskId, type IngestEvent, type TaskStatus } from '@symbology/contracts';
import { happyTask, SAMPLE_FILINGS } from '@symbology/contracts/testing';
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
      edge.found(taskId, undefined, edge.stats.lastSeq);
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
});
