import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import {
  INGEST_STREAM,
  isTerminal,
  newTaskId,
  STATUS_REPLACE_HEADER,
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

describe('StatusFanout: a replacement announced by the projector (an event set aside, a task rebuilt)', () => {
  /** What the projector writes when it sets aside the event at `status.version` (markSetAside). */
  const SET_ASIDE = 'An update to this task could not be recorded; operators have been alerted.';

  async function start() {
    const web = await system.nats.connect('web');
    const projector = await system.nats.connect('projector');
    const ingestor = jetstream(await system.nats.connect('ingestor'));
    const webJs = jetstream(web);
    const jsm = await jetstreamManager(web);
    const fanout = new StatusFanout({
      nc: web,
      js: webJs,
      jsm,
      logger: pino({ level: 'silent' }),
      metrics: createApiMetrics(new Registry()),
    });
    await fanout.start();
    const publish = async (event: IngestEvent) =>
      (await publishEvent(event.type === 'IngestRequested' ? webJs : ingestor, event)).seq;
    const created = new Date((await jsm.streams.info(INGEST_STREAM)).created);
    const close = async () => {
      await fanout.stop();
      await web.close();
      await projector.close();
    };
    return { fanout, projector, publish, created, close };
  }

  /** The mailbox's next status (undefined: none within `ms`). */
  const take = async (mailbox: { next(ms: number): Promise<{ status: TaskStatus | undefined }> }, ms = 2_000) =>
    (await mailbox.next(ms)).status;

  it('given a terminal event set aside, the edge and a subscriber holding `completed` at that version take `failed`', async () => {
    const { fanout, projector, publish, created, close } = await start();
    try {
      const events = happyTask(newTaskId(), SAMPLE_FILINGS.slice(0, 1));
      const taskId = events[0]!.taskId;
      const mailbox = fanout.listen(taskId);
      const first = await publish(events[0]!);
      fanout.foundOnEdge(taskId, undefined, first - 1, created);
      for (const event of events.slice(1)) await publish(event);
      await vi.waitFor(() => expect(fanout.edgeStatus(taskId)?.status).toBe('completed'), { timeout: 20_000 });
      const edge = fanout.edgeStatus(taskId)!;
      await vi.waitFor(async () => expect((await take(mailbox, 100))?.version ?? edge.version).toBe(edge.version));

      // The projector could not write the IngestCompleted: it set it aside, at the same version.
      const marked: TaskStatus = { ...edge, status: 'failed', error: SET_ASIDE, message: SET_ASIDE };
      // Without the header (an older projector) it is dropped as held, as before.
      announce(projector, taskId, JSON.stringify(marked), edge.version);
      expect(await take(mailbox, 500)).toBeUndefined();
      announce(projector, taskId, JSON.stringify(marked), edge.version, { replace: true });
      // Before the fix: dropped as held; the subscriber kept `completed`, and so did the edge.
      expect(await take(mailbox)).toEqual(marked);
      expect(fanout.edgeStatus(taskId)).toEqual(marked);
      // An ordinary announcement of that version is again one the edge holds.
      announce(projector, taskId, JSON.stringify(edge), edge.version);
      expect(await take(mailbox, 500)).toBeUndefined();
      expect(fanout.edgeStatus(taskId)).toEqual(marked);
      fanout.unlisten(taskId, mailbox);
    } finally {
      await close();
    }
  });

  it('given a task corrected mid-way, the edge folds its later events onto the replacement', async () => {
    const { fanout, projector, publish, created, close } = await start();
    try {
      const events = happyTask(newTaskId(), SAMPLE_FILINGS.slice(0, 1));
      const taskId = events[0]!.taskId;
      const first = await publish(events[0]!);
      // Nobody watches it here: a replacement must still reach the edge, which serves later subscribers.
      fanout.foundOnEdge(taskId, undefined, first - 1, created);
      await publish(events[1]!);
      await vi.waitFor(() => expect(fanout.edgeStatus(taskId)?.version).toBeGreaterThan(first), { timeout: 20_000 });
      const edge = fanout.edgeStatus(taskId)!;
      announce(projector, taskId, JSON.stringify({ ...edge, error: SET_ASIDE }), edge.version, { replace: true });
      await vi.waitFor(() => expect(fanout.edgeStatus(taskId)?.error).toBe(SET_ASIDE));
      for (const event of events.slice(2)) await publish(event);
      await vi.waitFor(() => expect(isTerminal(fanout.edgeStatus(taskId)!)).toBe(true), { timeout: 20_000 });
      expect(fanout.edgeStatus(taskId)?.error).toBe(SET_ASIDE);
    } finally {
      await close();
    }
  });
});

function announce(
  nc: NatsConnection,
  taskId: string,
  body: string,
  version?: number,
  opts: { replace?: boolean } = {},
): void {
  const h = headers();
  if (version !== undefined) h.set(STATUS_VERSION_HEADER, String(version));
  if (opts.replace) h.set(STATUS_REPLACE_HEADER, '1');
  nc.publish(subjects.status(taskId), body, { headers: h });
}
