import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { createStepEvent, isTerminalEvent, newTaskId } from '@symbology/contracts';
import { startEdgarMirror, type EdgarMirror } from '@symbology/edgar-mirror';
import { connectAs, publishEvent } from '@symbology/service';
import { startClusterTestSystem, type ClusterTestSystem } from '@symbology/test-system';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngestor, type Ingestor } from '../ingestor';
import { readTaskEvents } from '../ingest/task-history';
import { testConfig } from '../testing/harness';

/**
 * An ingestor replica (re)started while its cluster has no quorum (a node lost, the streams
 * electing) must start once JetStream answers. It exited instead ("ingestor failed to start:
 * TimeoutError", exit 1), and with every replica restarted into the fault no request was taken.
 */
describe('an ingestor started while the cluster has no quorum (two of three nodes down)', () => {
  let system: ClusterTestSystem;
  let mirror: EdgarMirror;
  const conns: NatsConnection[] = [];
  beforeAll(async () => {
    [system, mirror] = await Promise.all([startClusterTestSystem(), startEdgarMirror({})]);
  }, 180_000);
  afterAll(async () => {
    await Promise.all(conns.map((nc) => nc.close().catch(() => {})));
    await mirror?.close();
    await system?.stop();
  });

  it('waits for JetStream to answer, then takes the request', async () => {
    const [up, ...down] = system.cluster.nodes;
    await Promise.all(down.map((n) => n.kill()));
    const creds = system.cluster.credentials('ingestor');
    const waits: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void waits.push(line) });
    const start = startIngestor(
      testConfig({ nats: { ...creds, servers: up!.url }, databaseUrl: system.database.url, mirror }),
      logger,
    );
    let settled: string | undefined;
    start.then(
      () => (settled = 'started'),
      (error: unknown) => (settled = `failed: ${String(error)}`),
    );
    let ingestor: Ingestor | undefined;
    try {
      // Waiting (it says so), or started (a survivor that led a stream answers for a while without
      // a quorum): anything but given up.
      const waited = () => waits.some((l) => l.includes('cannot start yet'));
      await expect
        .poll(() => (waited() ? 'waiting' : settled), { timeout: 30_000, interval: 100 })
        .toMatch(/^(waiting|started)$/);
      await Promise.all(down.map((n) => n.start()));
      ingestor = await start;

      const web = await connectAs(system.cluster.credentials('web'), 'test-web');
      conns.push(web);
      const taskId = newTaskId();
      const ctx = { taskId, correlationId: taskId, causationId: null, now: () => new Date() };
      const requestedAt = new Date().toISOString();
      const data = { ticker: 'SYMB', requestedBy: 'int-test', requestedAt, mode: 'initial', retryOf: null } as const;
      await publishEvent(jetstream(web), createStepEvent(ctx, { type: 'IngestRequested', data }));
      const operator = jetstream(system.operator);
      const jsm = await jetstreamManager(system.operator);
      await expect
        .poll(async () => (await readTaskEvents(operator, jsm, taskId)).find(isTerminalEvent)?.type, {
          timeout: 60_000,
          interval: 250,
        })
        .toBe('IngestCompleted');
    } finally {
      await (ingestor ?? (await start.catch(() => undefined)))?.stop();
    }
  }, 180_000);
});
