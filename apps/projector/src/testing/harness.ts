import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { INGEST_STREAM } from '@symbology/contracts';
import type { RunningNatsServer, TestDatabase } from '@symbology/dev-services';
import { startTestSystem } from '@symbology/test-system';
import postgres from 'postgres';
import { runCli } from '../cli/run-cli';
import { EnvSchema, type Env } from '../env';
import { createLogger } from '../logger';
import type { ProjectorConfig } from '../start-projector';
import type { Publishers } from './publish-all';

export type Harness = {
  nats: RunningNatsServer;
  db: TestDatabase;
  sql: postgres.Sql;
  operator: NatsConnection;
  pub: Publishers;
  config: ProjectorConfig;
  env: Env;
  head(): Promise<number>;
  checkpoint(): Promise<number>;
  waitForCheckpoint(seq: number, timeoutMs?: number): Promise<void>;
  cli(...argv: string[]): Promise<{ code: number; out: string; err: string }>;
  close(): Promise<void>;
};

/** A real nats-server from nats.conf, a migrated throwaway database, the stream provisioned. */
export async function startHarness(): Promise<Harness> {
  const system = await startTestSystem();
  const { nats, database: db, operator } = system;
  const conns: NatsConnection[] = [];
  const as = async (role: 'web' | 'ingestor') => {
    const nc = await nats.connect(role);
    conns.push(nc);
    return nc;
  };
  const pub = { web: jetstream(await as('web')), ingestor: jetstream(await as('ingestor')) };
  const sql = postgres(db.url, { max: 4, onnotice: () => {} });
  const creds = nats.credentials('projector');
  const config: ProjectorConfig = {
    natsUrl: nats.url,
    natsUser: creds.user,
    natsPassword: creds.pass,
    databaseUrl: db.url,
    logger: createLogger('error'),
    gapTimeoutMs: 1_000,
  };
  const env = EnvSchema.parse({
    NATS_URL: nats.url,
    NATS_PASSWORD: creds.pass,
    DATABASE_URL: db.url,
    HTTP_PORT: '0',
    LOG_LEVEL: 'error',
  });
  const jsm = await jetstreamManager(operator);
  const checkpoint = async () => {
    const [row] = await sql<{ last_seq: string }[]>`select last_seq from projection_checkpoints`;
    return Number(row?.last_seq ?? 0);
  };
  return {
    nats,
    db,
    sql,
    operator,
    pub,
    config,
    env,
    head: async () => (await jsm.streams.info(INGEST_STREAM)).state.last_seq,
    checkpoint,
    waitForCheckpoint: async (seq, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      while ((await checkpoint()) < seq) {
        if (Date.now() > deadline)
          throw new Error(`checkpoint ${await checkpoint()} did not reach ${seq} in ${timeoutMs} ms`);
        await sleep(50);
      }
    },
    cli: async (...argv) => {
      let out = '';
      let err = '';
      const errStream = new Writable({ write: (chunk, _enc, cb) => ((err += String(chunk)), cb()) });
      const code = await runCli(argv, { env, out: { write: (t: string) => (out += t) }, err: errStream });
      return { code, out, err };
    },
    close: async () => {
      await Promise.all(conns.map((nc) => nc.close().catch(() => {})));
      await sql.end({ timeout: 5 });
      await system.stop();
    },
  };
}
