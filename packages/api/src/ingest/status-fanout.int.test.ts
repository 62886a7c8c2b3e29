import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import {
  INGEST_STREAM,
  isTerminal,
  newTaskId,
  STATUS_VERSION_HEADER,
  subjects,
  type IngestEvent,
  type TaskStatus,
} from '@symbology/contracts';
import { happyTask, SAMPLE_FILINGS } from '@symbology/contracts/testing';
import { publishEvent } from '@symbology/service';
import { startTestSystem, type TestSystem } from '@symbology/test-system';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiMetrics } from '../metrics';
import { StatusFanout, type StatusListener } from './status-fanout';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(async () => {
  await system?.stop();
});

describe('StatusFanout: the projector announcements beside the edge fold', () => {
  it('drops an announcement of a version the edge holds unread, and delivers a newer one', async () => {
    const web = await system.nats.connect('web');
    const projector = await system.nats.connect('projector');
    const ingestor = jetstream(await system.nats.connect('ingestor'));
    const metrics = createApiMetrics(new Registry());
    const fanout = new StatusFanout({
      nc: web,
      js: jetstream(web),
      jsm: await jetstreamManager(web),
      logger: pino({ level: 'silent' }),
      metrics,
    });
    await fanout.start();
    const outcomes = async () =>
      Object.fromEntries((await metrics.natsStatusReceived.get()).values.map((v) => [v.labels.outcome, v.value]));
    try {
      const events = happyTask(newTaskId(), SAMPLE_FILINGS.slice(0, 1));
      const taskId = events[0]!.taskId;
      const pushed: TaskStatus[] = [];
      const listener: StatusListener = { push: (s) => pushed.push(s), nudge: () => {}, close: () => {} };
      fanout.attach(taskId, listener);
      const webJs = jetstream(web);
      const publish = (event: IngestEvent) => publishEvent(event.type === 'IngestRequested' ? webJs : ingestor, event);
      const first = await publish(events[0]!);
      const created = new Date((await (await jetstreamManager(web)).streams.info(INGEST_STREAM)).created);
      fanout.foundOnEdge(taskId, undefined, first.seq - 1, created);
      for (const event of events.slice(1)) await publish(event);
      await vi.waitFor(() => expect(isTerminal(fanout.edgeStatus(taskId)!)).toBe(true), { timeout: 20_000 });
      const held = fanout.edgeStatus(taskId)!;

      // Not JSON at all: were it parsed, it would count as invalid.
      announce(projector, taskId, 'not json', held.version);
      const newer = { ...held, version: held.version + 1, message: 'from the projector' };
      announce(projector, taskId, JSON.stringify(newer), newer.version);
      // No header (an older projector): parsed as before.
      announce(projector, taskId, 'not json either');

      await vi.waitFor(async () => expect(await outcomes()).toEqual({ held: 1, delivered: 1, invalid: 1 }), {
        timeout: 10_000,
      });
      await vi.waitFor(() => expect(pushed.at(-1)?.message).toBe('from the projector'));
    } finally {
      await fanout.stop();
      await web.close();
      await projector.close();
    }
  });
});

function announce(nc: NatsConnection, taskId: string, body: string, version?: number): void {
  const h = headers();
  if (version !== undefined) h.set(STATUS_VERSION_HEADER, String(version));
  nc.publish(subjects.status(taskId), body, { headers: h });
}
