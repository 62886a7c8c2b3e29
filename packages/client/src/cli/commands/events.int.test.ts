import { PassThrough } from 'node:stream';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { newTaskId, type IngestEvent } from '@symbology/contracts';
import { ensureStreams, publishEvent } from '@symbology/service';
import { happyTask } from '@symbology/contracts/testing';
import { startNatsServer, type RunningNatsServer } from '@symbology/dev-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliTarget } from '../env';
import { eventsCommand } from './events';

function capture() {
  const out = new PassThrough();
  const lines: string[] = [];
  out.on('data', (b: Buffer) => lines.push(...b.toString().split('\n').filter(Boolean)));
  return { out, lines };
}

describe('symbology events on a real nats-server, as the read-only subscriber', () => {
  let nats: RunningNatsServer;
  let env: CliTarget['nats']['value'];
  let web: NatsConnection;
  let ingestor: NatsConnection;
  const publish = async (events: IngestEvent[]) => {
    for (const e of events) await publishEvent(jetstream(e.type === 'IngestRequested' ? web : ingestor), e);
  };

  beforeAll(async () => {
    nats = await startNatsServer();
    const op = await nats.connect('operator');
    await ensureStreams(op);
    await op.close();
    web = await nats.connect('web');
    ingestor = await nats.connect('ingestor');
    const sub = nats.credentials('subscriber');
    env = { url: sub.servers, user: sub.user, pass: sub.pass };
  });
  afterAll(async () => {
    await web?.close();
    await ingestor?.close();
    await nats?.stop();
  });

  it('prints the stored events of one type and exits when caught up', async () => {
    const a = newTaskId();
    const b = newTaskId();
    await publish([...happyTask(a), ...happyTask(b)]);
    const { out, lines } = capture();
    expect(await eventsCommand(env, { follow: false, type: 'filing_completed', json: false }, out)).toBe(0);
    expect(lines).toHaveLength(10);
    expect(lines.every((l) => / FilingCompleted accession=/.test(l))).toBe(true);
  });

  it('narrows to one task and prints typed JSON', async () => {
    const task = newTaskId();
    await publish(happyTask(task));
    const { out, lines } = capture();
    await eventsCommand(env, { follow: false, task, json: true }, out);
    const events = lines.map((l) => JSON.parse(l) as IngestEvent & { seq: number });
    expect(events.map((e) => e.type)).toEqual(happyTask(task).map((e) => e.type));
    expect(new Set(events.map((e) => e.taskId))).toEqual(new Set([task]));
  });

  it('with --follow, prints events published while it runs, until stopped', async () => {
    const task = newTaskId();
    const stop = new AbortController();
    const { out, lines } = capture();
    const running = eventsCommand(
      env,
      { follow: true, task, type: 'filing_completed', json: false, signal: stop.signal },
      out,
    );
    await new Promise((r) => setTimeout(r, 300));
    await publish(happyTask(task));
    await expect.poll(() => lines.length, { timeout: 5_000 }).toBe(5);
    stop.abort();
    expect(await running).toBe(0);
  });
});
