import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { INGEST_STREAM, newTaskId } from '@symbology/contracts';
import { taskWithOneFailure } from '@symbology/contracts/testing';
import { createTestDatabase, freePort } from '@symbology/dev-services';
import { connectAs } from '@symbology/service';
import { startClusterTestSystem, type ClusterTestSystem } from '@symbology/test-system';
import postgres from 'postgres';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProjector, type RunningProjector } from './start-projector';
import { startHarness, type Harness } from './testing/harness';
import { publishAll } from './testing/publish-all';

/**
 * A projector (re)started in the middle of a backend fault (a supervisor restarting it in a crash
 * loop while Postgres restarts, or while a NATS node is lost and the streams elect) must start once
 * the fault passes. It exited instead: Postgres refusing connections became "cannot read
 * projection_checkpoints: run pnpm db:migrate" (exit 78, which the launcher leaves down for good),
 * and JetStream without a leader a bare "TimeoutError: timeout" (exit 1).
 */

/**
 * A logger that counts the "cannot start yet" warnings, and a wait until startProjector has logged
 * one, or started (a survivor that led INGEST answers for a while without a quorum). A start that
 * gives up instead logs none and fails.
 */
function startWatch() {
  let waits = 0;
  const logger = pino(
    { level: 'warn' },
    { write: (line: string) => void (line.includes('cannot start yet') && waits++) },
  );
  const waitsAgain = async (start: Promise<RunningProjector>) => {
    let settled: string | undefined;
    start.then(
      () => (settled = 'started'),
      (error: unknown) => (settled = `failed: ${String(error)}`),
    );
    // Waiting (it says so), or started: anything but given up.
    await expect
      .poll(() => (waits > 0 ? 'waiting' : settled), { timeout: 30_000, interval: 100 })
      .toMatch(/^(waiting|started)$/);
  };
  return { logger, waitsAgain };
}

/** A TCP port that refuses connections until `open()`, then forwards them to `target`. */
async function gate(target: { host: string; port: number }) {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  return {
    port,
    open: () =>
      new Promise<void>((resolve) => {
        server = createServer((client) => {
          const upstream = tcpConnect(target.port, target.host);
          for (const s of [client, upstream]) {
            sockets.add(s);
            s.on('error', () => {}).on('close', () => sockets.delete(s));
          }
          client.pipe(upstream).pipe(client);
        });
        server.listen(port, '127.0.0.1', resolve);
      }),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => (server ? server.close(r) : r(undefined)));
    },
  };
}

describe('a projector started while Postgres refuses connections (a restart)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('waits for the database, then projects: it does not exit as if the schema were missing', async () => {
    await publishAll(h.pub, taskWithOneFailure(newTaskId()));
    const url = new URL(h.db.url);
    const db = await gate({ host: url.hostname, port: Number(url.port || 5432) });
    url.port = String(db.port);
    const watch = startWatch();
    const start = startProjector({ ...h.config, databaseUrl: url.toString(), logger: watch.logger });
    try {
      await watch.waitsAgain(start);
      await db.open();
      const projector = await start;
      try {
        await projector.running;
        await h.waitForCheckpoint(await h.head(), 20_000);
        expect((await h.cli('verify')).code).toBe(0);
      } finally {
        await projector.stop();
      }
    } finally {
      await start.then((p) => p.stop()).catch(() => {});
      await db.close();
    }
  }, 60_000);

  it('still refuses at once, with what to do, when the database answers without its tables', async () => {
    const empty = await createTestDatabase();
    try {
      const started = Date.now();
      await expect(startProjector({ ...h.config, databaseUrl: empty.url })).rejects.toThrow(/run `pnpm db:migrate`/);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await empty.drop();
    }
  });
});

describe('a projector started while the cluster has no quorum (two of three nodes down)', () => {
  let system: ClusterTestSystem;
  const conns: NatsConnection[] = [];
  beforeAll(async () => {
    system = await startClusterTestSystem();
  }, 180_000);
  afterAll(async () => {
    await Promise.all(conns.map((nc) => nc.close().catch(() => {})));
    await system?.stop();
  });

  it('waits for JetStream to answer, then projects', async () => {
    const as = async (role: 'web' | 'ingestor') => {
      const nc = await connectAs(system.cluster.credentials(role), `test-${role}`);
      conns.push(nc);
      return jetstream(nc);
    };
    await publishAll({ web: await as('web'), ingestor: await as('ingestor') }, taskWithOneFailure(newTaskId()));
    const jsm = await jetstreamManager(system.operator);
    const head = (await jsm.streams.info(INGEST_STREAM)).state.last_seq;
    const [up, ...down] = system.cluster.nodes;
    await Promise.all(down.map((n) => n.kill()));
    const creds = system.cluster.credentials('projector');
    const watch = startWatch();
    const start = startProjector({
      natsUrl: up!.url,
      natsUser: creds.user,
      natsPassword: creds.pass,
      databaseUrl: system.database.url,
      logger: watch.logger,
    });
    try {
      await watch.waitsAgain(start);
      await Promise.all(down.map((n) => n.start()));
      const projector = await start;
      try {
        await projector.running;
        const sql = postgres(system.database.url, { max: 1, onnotice: () => {} });
        try {
          const checkpoint = async () =>
            Number((await sql<{ last_seq: string }[]>`select last_seq from projection_checkpoints`)[0]?.last_seq ?? 0);
          await expect.poll(checkpoint, { timeout: 60_000, interval: 200 }).toBeGreaterThanOrEqual(head);
        } finally {
          await sql.end();
        }
      } finally {
        await projector.stop();
      }
    } finally {
      await start.then((p) => p.stop()).catch(() => {});
    }
  }, 180_000);
});
