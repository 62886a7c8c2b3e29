import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  createTestDatabase,
  startNatsServer,
  type RunningNatsServer,
  type TestDatabase,
} from '@symbology/dev-services';
import postgres from 'postgres';
import { Counter, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAs } from '../connect/connect-as';
import { ensureStreams } from '../provision/ensure-streams';
import { natsCheck } from './nats-check';
import { startOpsServer, type OpsServer } from './ops-server';
import { postgresCheck } from './postgres-check';
import { runReadiness, stateCheck } from './readiness';

type Readyz = {
  ready: boolean;
  instanceId: string;
  checks: Record<string, { ok: boolean; detail?: string }>;
  failing: string[];
};

async function readyz(ops: OpsServer): Promise<{ status: number; body: Readyz }> {
  const res = await fetch(`${ops.url}/readyz`);
  return { status: res.status, body: (await res.json()) as Readyz };
}

/** Polls /readyz until `until` holds (the condition this test is about), or fails after 20 s. */
async function readyzUntil(ops: OpsServer, until: (r: { status: number; body: Readyz }) => boolean) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const r = await readyz(ops);
    if (until(r)) return r;
    if (Date.now() > deadline) throw new Error(`/readyz never reached the expected state: ${JSON.stringify(r)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the ops server with real readiness checks', () => {
  let nats: RunningNatsServer;
  let database: TestDatabase;
  let nc: NatsConnection;
  let sql: postgres.Sql;
  let ops: OpsServer;
  let loopRunning = true;
  const registry = new Registry();
  const handled = new Counter({ name: 'kit_test_handled_total', help: 'test counter', registers: [registry] });

  beforeAll(async () => {
    nats = await startNatsServer();
    database = await createTestDatabase();
    const operator = await nats.connect('operator');
    await ensureStreams(operator); // the nats check asks for INGEST's leader
    await operator.close();
    // Reconnect fast, so the test does not wait out the default 2 s between attempts.
    nc = await connectAs(nats.credentials('ingestor'), 'ops-int-test', { reconnectTimeWait: 100 });
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    ops = await startOpsServer({
      port: 0,
      instanceId: 'instance-under-test',
      metrics: registry,
      checks: [natsCheck(nc), postgresCheck(sql), stateCheck('consumer', () => loopRunning)],
    });
  });
  afterAll(async () => {
    await ops?.close();
    await nc?.close().catch(() => {});
    await sql?.end({ timeout: 1 }).catch(() => {});
    await nats?.stop();
    await database?.drop();
  });

  it('answers /healthz with the instance id, /metrics with the registry, and 404 elsewhere', async () => {
    const health = await fetch(`${ops.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', instanceId: 'instance-under-test' });
    handled.inc(3);
    const metrics = await fetch(`${ops.url}/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(await metrics.text()).toMatch(/^kit_test_handled_total 3$/m);
    expect((await fetch(`${ops.url}/nope`)).status).toBe(404);
  });

  it('listens on loopback only by default', async () => {
    expect(ops.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (!external) return; // a machine with loopback alone has no other address to try
    await expect(fetch(`http://${external.address}:${ops.port}/healthz`)).rejects.toThrow();
  });

  it('is ready, with every check named, while NATS and Postgres answer and the loop runs', async () => {
    const { status, body } = await readyz(ops);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      ready: true,
      instanceId: 'instance-under-test',
      failing: [],
      checks: { nats: { ok: true }, postgres: { ok: true }, consumer: { ok: true } },
    });
  });

  it('goes 503 naming nats when nats-server is killed, and ready again once it is back', async () => {
    await nats.kill();
    const down = await readyzUntil(ops, (r) => r.status === 503);
    expect(down.body.failing).toEqual(['nats']);
    expect(down.body.checks.nats).toMatchObject({ ok: false, detail: expect.any(String) });
    expect(down.body.checks.postgres).toEqual({ ok: true });
    expect(nc.isClosed()).toBe(false); // what the old probe looked at: it would still say ready
    await nats.restart();
    const up = await readyzUntil(ops, (r) => r.status === 200);
    expect(up.body.failing).toEqual([]);
  });

  it('names the stream JetStream lacks when the nats check asks for one not provisioned', async () => {
    const operator = await nats.connect('operator'); // a role that may ask about any stream
    try {
      const report = await runReadiness([natsCheck(operator, { stream: 'NOT_PROVISIONED' })]);
      expect(report.failing).toEqual(['nats']);
      expect(report.checks.nats?.detail).toBe('JetStream has no stream NOT_PROVISIONED: provision it (ensureStreams)');
    } finally {
      await operator.close();
    }
    expect((await runReadiness([natsCheck(nc)])).checks.nats?.detail).toMatch(/rtt \d+ ms; stream INGEST leader /);
  });

  it('goes 503 naming the consumer when the service says its loop stopped', async () => {
    loopRunning = false;
    try {
      const { status, body } = await readyz(ops);
      expect(status).toBe(503);
      expect(body.failing).toEqual(['consumer']);
    } finally {
      loopRunning = true;
    }
  });

  it('goes 503 naming postgres when its database goes away', async () => {
    await database.drop();
    const down = await readyzUntil(ops, (r) => r.status === 503);
    expect(down.body.failing).toEqual(['postgres']);
    expect(down.body.checks.postgres?.detail).toBeTruthy();
  });
});

describe('postgresCheck against a server that accepts and never answers', () => {
  let silent: Server;
  const sockets: Socket[] = [];
  let sql: postgres.Sql;
  beforeAll(async () => {
    silent = createServer((socket) => void sockets.push(socket)); // holds every socket open, says nothing
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    sql = postgres(`postgres://postgres@127.0.0.1:${port}/x`, { max: 1, connect_timeout: 30, onnotice: () => {} });
  });
  afterAll(async () => {
    await sql.end({ timeout: 0 }).catch(() => {});
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('fails within its timeout instead of hanging the probe', async () => {
    const started = Date.now();
    const check = postgresCheck(sql, { timeoutMs: 300 });
    const report = await runReadiness([check]);
    expect(report.failing).toEqual(['postgres']);
    expect(report.checks.postgres?.detail).toMatch(/300 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
