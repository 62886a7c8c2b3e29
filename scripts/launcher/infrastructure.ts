import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { connect } from '@nats-io/transport-node';
import { devNatsPassword } from '@symbology/contracts';
import { ensureStreams } from '@symbology/service';
import { runMigrations } from '@symbology/db/migrate';
import {
  canConnect,
  MACHINE_POSTGRES_URL,
  NATS_CONF,
  natsServerBinary,
  natsServerEnv,
  passwordOf,
  startEmbeddedPostgres,
} from '@symbology/dev-services';
import postgres from 'postgres';
import { pipeLines, say } from './log-lines';
import type { LauncherOptions } from './options';

export type Stoppable = { stop(): Promise<void> };

/** NATS_URL when set; else our own nats-server from nats.conf with its store in <data>/nats. */
export async function startNats(options: LauncherOptions, env = process.env): Promise<{ url: string } & Stoppable> {
  if (env.NATS_URL) {
    say(`using NATS at ${env.NATS_URL}`);
    return { url: env.NATS_URL, stop: async () => {} };
  }
  const storeDir = `${options.dataDir}/nats`;
  await mkdir(storeDir, { recursive: true });
  const { nats, natsMonitor } = options.ports;
  const child = spawn(await natsServerBinary(), ['-c', NATS_CONF, '-p', String(nats), '-m', String(natsMonitor)], {
    env: natsServerEnv(storeDir),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // stopped last, by the launcher, not by the terminal's Ctrl-C
  });
  stopOnExit(child);
  // nats-server's start-up banner is noise here; warnings and errors still show.
  const worthShowing = (line: string) => !/\[INF\]/.test(line);
  pipeLines('nats', child.stdout, worthShowing);
  pipeLines('nats', child.stderr, worthShowing);
  await waitFor(`http://127.0.0.1:${natsMonitor}/healthz?js-enabled-only=true`, child, 'nats-server');
  say(`nats-server ready on nats://127.0.0.1:${nats} (store ${storeDir})`);
  return { url: `nats://127.0.0.1:${nats}`, stop: () => stopChild(child) };
}

/**
 * DATABASE_URL when set; else the database `symbology` on the machine's Postgres (created if
 * missing); else an embedded Postgres with its data in <data>/postgres. Migrations run either way.
 */
export async function startPostgres(options: LauncherOptions, env = process.env): Promise<{ url: string } & Stoppable> {
  let url = env.DATABASE_URL;
  let stop = async () => {};
  if (url) {
    url = await ensureDatabase(withDatabase(url, 'postgres'), new URL(url).pathname.slice(1));
    say('using DATABASE_URL');
  } else if (await canConnect(MACHINE_POSTGRES_URL)) {
    url = await ensureDatabase(MACHINE_POSTGRES_URL, 'symbology');
    say(`using the machine's Postgres, database symbology`);
  } else {
    const server = await startEmbeddedPostgres(`${options.dataDir}/postgres`, options.ports.postgres);
    url = await ensureDatabase(server.adminUrl, 'symbology');
    stop = () => server.stop();
    say(`embedded Postgres ready on port ${options.ports.postgres} (data ${options.dataDir}/postgres)`);
  }
  await runMigrations(url);
  say('database migrations applied');
  return { url, stop };
}

async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const found = await sql`select 1 from pg_database where datname = ${name}`;
    if (found.length === 0) await sql.unsafe(`create database "${name}"`);
  } finally {
    await sql.end();
  }
  return withDatabase(adminUrl, name);
}

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates the INGEST stream and KV buckets as the operator (idempotent). */
export async function provisionStreams(natsUrl: string, env = process.env): Promise<void> {
  const nc = await connect({
    servers: natsUrl,
    user: env.NATS_OPERATOR_USER ?? 'operator',
    pass: env.NATS_OPERATOR_PASSWORD ?? (env.NATS_URL ? devNatsPassword('operator') : passwordOf('operator')),
    name: 'symbology-launcher',
  });
  try {
    await ensureStreams(nc);
  } finally {
    await nc.close();
  }
  say('JetStream stream INGEST and KV buckets provisioned');
}

export async function waitFor(url: string, child: ChildProcess, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} before it was ready`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} was not ready at ${url} after ${timeoutMs / 1000} s`);
}

export function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

const children = new Set<ChildProcess>();
process.once('exit', () => {
  // The launcher is going away without a clean stop (a crash): leave nothing running behind it.
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Children live in their own process groups; this makes sure none outlives the launcher. */
export function stopOnExit(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}
