import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { startNatsServer, type RunningNatsServer } from '@symbology/dev-services';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createStepEvent,
  INGEST_STREAM,
  newTaskId,
  parseEvent,
  subjects,
  type IngestEvent,
} from '@symbology/contracts';
import { connectAs } from '../connect/connect-as';
import { ensureStreams } from '../provision/ensure-streams';
import { publishEvent } from './publish-event';

const ctx = (taskId: string) => ({
  taskId,
  correlationId: 'corr-1',
  causationId: null,
  now: () => new Date('2026-01-02T03:04:05Z'),
});
const requested = (taskId: string): IngestEvent =>
  createStepEvent(ctx(taskId), {
    type: 'IngestRequested',
    data: { ticker: 'AAPL', requestedBy: 'test', requestedAt: '2026-01-02T03:04:05Z', mode: 'initial', retryOf: null },
  });
const completed = (taskId: string): IngestEvent =>
  createStepEvent(
    ctx(taskId),
    {
      type: 'FilingCompleted',
      data: {
        accession: '0000320193-24-000123',
        factsStored: 3,
        sectionsStored: 3,
        primaryDocumentUrl: 'https://www.sec.gov/x.htm',
        outcome: 'completed',
        missing: [],
      },
    },
    '0000320193-24-000123',
  );

async function readAll(nc: NatsConnection): Promise<Array<{ seq: number; event: IngestEvent }>> {
  const js = jetstream(nc);
  // nats.conf lets a reader create only filtered ephemeral consumers.
  const consumer = await js.consumers.get(INGEST_STREAM, { filter_subjects: 'ingest.>' });
  const info = await (await jetstreamManager(nc)).streams.info(INGEST_STREAM);
  const out: Array<{ seq: number; event: IngestEvent }> = [];
  if (info.state.messages === 0) return out;
  const messages = await consumer.consume();
  for await (const m of messages) {
    const parsed = parseEvent(m.data);
    if (parsed.ok) out.push({ seq: m.seq, event: parsed.event });
    if (m.info.pending === 0) break;
  }
  return out;
}

describe('the INGEST stream on a real nats-server with the per-role users', () => {
  let nats: RunningNatsServer;
  const open: NatsConnection[] = [];
  const as = async (role: Parameters<RunningNatsServer['connect']>[0]) => {
    const nc = await nats.connect(role);
    open.push(nc);
    return nc;
  };

  beforeAll(async () => {
    nats = await startNatsServer();
    await ensureStreams(await as('operator'));
  });
  afterAll(async () => {
    await Promise.all(open.map((nc) => nc.close().catch(() => {})));
    await nats?.stop();
  });

  it('runs nats-server 2.10 or newer', async () => {
    const varz = (await (await fetch(`${nats.monitorUrl}/varz`)).json()) as { version: string };
    const [major, minor] = varz.version.split('.').map(Number);
    expect(major! > 2 || (major === 2 && minor! >= 10)).toBe(true);
  });

  it('provisions idempotently: a second ensureStreams keeps the config and the events', async () => {
    const op = await as('operator');
    await ensureStreams(op);
    const info = await (await jetstreamManager(op)).streams.info(INGEST_STREAM);
    expect(info.config.deny_delete).toBe(true);
    expect(info.config.deny_purge).toBe(true);
    expect(info.config.duplicate_window).toBeGreaterThanOrEqual(120 * 1e9);
    expect(info.config.max_age).toBe(0);
  });

  it('round-trips an event from web to a subscriber, typed and intact', async () => {
    const taskId = newTaskId();
    const event = requested(taskId);
    const ack = await publishEvent(jetstream(await as('web')), event);
    expect(ack.duplicate).toBe(false);
    const seen = await readAll(await as('subscriber'));
    expect(seen.find((e) => e.event.taskId === taskId)?.event).toEqual(event);
  });

  it('lets the ingestor publish progress but refuses the web user publishing it', async () => {
    const taskId = newTaskId();
    await expect(publishEvent(jetstream(await as('ingestor')), completed(taskId))).resolves.toMatchObject({
      duplicate: false,
    });
    const web = await as('web');
    const errors: unknown[] = [];
    void (async () => {
      for await (const s of web.status()) if (s.type === 'error') errors.push(s.error);
    })();
    await expect(
      publishEvent(jetstream(web), completed(newTaskId()), { attempts: 1, timeoutMs: 1_000 }),
    ).rejects.toThrow();
    expect(String(errors[0])).toMatch(/permissions violation for publish to "ingest\..+\.filing_completed"/i);
  });

  it('refuses the subscriber publishing any event', async () => {
    await expect(
      publishEvent(jetstream(await as('subscriber')), requested(newTaskId()), { attempts: 1, timeoutMs: 1_000 }),
    ).rejects.toThrow();
  });

  it('drops a second publish with the same msgID as a duplicate', async () => {
    const js = jetstream(await as('web'));
    const event = requested(newTaskId());
    const first = await publishEvent(js, event);
    const again = await publishEvent(js, event);
    expect(again).toEqual({ seq: first.seq, duplicate: true });
    const all = await readAll(await as('operator'));
    expect(all.filter((e) => e.event.eventId === event.eventId)).toHaveLength(1);
  });

  it('publishes through a nats-server restart: retried after the timeouts, stored once', async () => {
    const nc = await connectAs(nats.credentials('web'), 'publish-restart-test', { reconnectTimeWait: 50 });
    open.push(nc);
    const event = requested(newTaskId());
    await nats.kill();
    const published = publishEvent(jetstream(nc), event, { attempts: 40, timeoutMs: 250 });
    await nats.restart();
    const ack = await published;
    expect(ack.duplicate).toBe(false);
    const all = await readAll(await as('operator'));
    expect(all.filter((e) => e.event.eventId === event.eventId)).toEqual([{ seq: ack.seq, event }]);
  });

  it('repeats a publish through a stream without a leader for longer than an election (503 at once), stored once', async () => {
    // A stream electing its leader answers no-responders at once, as one that does not exist does.
    const jsm = await jetstreamManager(await as('operator'));
    await jsm.streams.delete(INGEST_STREAM);
    const event = requested(newTaskId());
    // The client as it is, counting the attempts made through it (a subscriber on the subject would
    // be a responder, and change what the server answers).
    const js = jetstream(await as('web'));
    let attempts = 0;
    const counting = Object.assign(Object.create(js) as typeof js, {
      publish: (...args: Parameters<typeof js.publish>) => {
        attempts++;
        return js.publish(...args);
      },
    });
    const published = publishEvent(counting, event);
    // Before the fix the third refusal (0.6 s in) ended it; an election takes 4-8 s.
    await vi.waitFor(() => expect(attempts).toBeGreaterThanOrEqual(5), { timeout: 10_000, interval: 50 });
    await ensureStreams(await as('operator'));
    const ack = await published;
    expect(ack.duplicate).toBe(false);
    const all = await readAll(await as('operator'));
    expect(all.filter((e) => e.event.eventId === event.eventId)).toEqual([{ seq: ack.seq, event }]);
  });

  it('keeps every acknowledged event through a SIGKILL and restart', async () => {
    const js = jetstream(await as('web'));
    const sent: IngestEvent[] = [];
    for (let i = 0; i < 50; i++) {
      const event = requested(newTaskId());
      await publishEvent(js, event);
      sent.push(event);
    }
    await nats.kill();
    await nats.restart();
    const after = await readAll(await as('operator'));
    const ids = new Set(after.map((e) => e.event.eventId));
    expect(sent.filter((e) => !ids.has(e.eventId))).toEqual([]);
    expect(after.map((e) => e.seq)).toEqual([...after.map((e) => e.seq)].sort((a, b) => a - b));
    expect(subjects.event(sent[0]!.taskId, 'IngestRequested')).toBe(`ingest.${sent[0]!.taskId}.requested`);
  });
});
