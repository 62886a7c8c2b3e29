import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  createStepEvent,
  INGEST_STREAM,
  isTerminalEvent,
  newTaskId,
  parseEvent,
  type IngestEvent,
  type IngestMode,
} from '@symbology/contracts';
import type { RunningNatsServer, TestDatabase } from '@symbology/dev-services';
import { startEdgarMirror, type EdgarMirror } from '@symbology/edgar-mirror';
import { startTestSystem } from '@symbology/test-system';
import { publishEvent } from '@symbology/service';
import postgres from 'postgres';
import type { IngestorConfig } from '../config';
import { startIngestor, type Ingestor, type IngestorSeams } from '../ingestor';
import { readTaskEvents } from '../ingest/task-history';
import { createLogger } from '../logger';

export type StoredEvent = { seq: number; subject: string; event: IngestEvent };

/**
 * Real nats-server (the repo's nats.conf, per-role users), a throwaway Postgres database with the
 * migrations applied and the EDGAR mirror: what every ingestor int test runs against.
 */
export type Harness = {
  nats: RunningNatsServer;
  database: TestDatabase;
  mirror: EdgarMirror;
  sql: postgres.Sql;
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** Fast, test-sized settings; override what a test is about. */
  config(overrides?: Partial<IngestorConfig>): IngestorConfig;
  start(overrides?: Partial<IngestorConfig>, seams?: IngestorSeams): Promise<Ingestor>;
  /**
   * Publishes IngestRequested as the web user would (an initial ingestion unless `plan` says a
   * refresh or a retry, as the API decides them); returns the task id.
   */
  request(ticker: string, plan?: { mode: IngestMode; retryOf?: string | null }): Promise<string>;
  /** Publishes raw bytes on a subject as the web user, as a broken publisher might. */
  publishRaw(subject: string, payload: string): Promise<void>;
  waitForTerminal(taskId: string, timeoutMs?: number): Promise<IngestEvent[]>;
  /**
   * Forgets every stored filing (facts, sections and parts go with them): a filing's outcome says
   * what it holds, whichever task stored it, so a test about one task's faults starts from none.
   */
  forgetFilings(): Promise<void>;
  /** Every message on the stream for the task, duplicates included, as stored. */
  stored(taskId: string): Promise<StoredEvent[]>;
  close(): Promise<void>;
};

/** Fast, test-sized ingestor settings against these parts; `overrides` for what a test is about. */
export function testConfig(
  parts: { nats: IngestorConfig['nats']; databaseUrl: string; mirror: Pick<EdgarMirror, 'wwwUrl' | 'dataUrl'> },
  overrides: Partial<IngestorConfig> = {},
): IngestorConfig {
  return {
    nats: { ...parts.nats },
    databaseUrl: parts.databaseUrl,
    edgar: {
      wwwUrl: parts.mirror.wwwUrl,
      dataUrl: parts.mirror.dataUrl,
      userAgent: 'Symbology Tests tests@example.com',
      maxAttempts: 3,
      retryBaseMs: 20,
      timeoutMs: 5_000,
    },
    concurrency: 2,
    maxRps: 1_000,
    limiterMarginMs: 50,
    httpPort: 0,
    ackWaitMs: 5_000,
    maxDeliver: 3,
    maxAckPending: 64,
    retryBaseMs: 200,
    logLevel: 'warn',
    ...overrides,
  };
}

export async function startHarness(options: { roots?: string[] } = {}): Promise<Harness> {
  const system = await startTestSystem();
  const { nats, database, operator } = system;
  const connections: NatsConnection[] = [];
  const connect = async (role: Parameters<RunningNatsServer['connect']>[0]) => {
    const nc = await nats.connect(role);
    connections.push(nc);
    return nc;
  };
  const mirror = await startEdgarMirror(options.roots ? { roots: options.roots } : {});
  const sql = postgres(database.url, { max: 2, onnotice: () => {} });
  const js = jetstream(operator);
  const jsm = await jetstreamManager(operator);
  const web = jetstream(await connect('web'));
  const ingestors: Ingestor[] = [];
  const logger = createLogger('error');

  const config = (overrides: Partial<IngestorConfig> = {}): IngestorConfig =>
    testConfig({ nats: nats.credentials('ingestor'), databaseUrl: database.url, mirror }, overrides);

  const stored = async (taskId: string): Promise<StoredEvent[]> => {
    const info = await jsm.streams.info(INGEST_STREAM, { subjects_filter: `ingest.${taskId}.>` });
    const out: StoredEvent[] = [];
    const total = Object.values(info.state.subjects ?? {}).reduce((a, b) => a + b, 0);
    if (total === 0) return out;
    const consumer = await js.consumers.get(INGEST_STREAM, { filter_subjects: `ingest.${taskId}.>` });
    const messages = await consumer.consume();
    for await (const m of messages) {
      const parsed = parseEvent(m.data);
      if (parsed.ok) out.push({ seq: m.seq, subject: m.subject, event: parsed.event });
      if (m.info.pending === 0) break;
    }
    return out;
  };

  return {
    nats,
    database,
    mirror,
    sql,
    js,
    jsm,
    config,
    start: async (overrides, seams) => {
      const ingestor = await startIngestor(config(overrides), logger, seams);
      ingestors.push(ingestor);
      return ingestor;
    },
    request: async (ticker, plan = { mode: 'initial' }) => {
      const taskId = newTaskId();
      const ctx = { taskId, correlationId: `test-${taskId}`, causationId: null, now: () => new Date() };
      const requestedAt = new Date().toISOString();
      await publishEvent(
        web,
        createStepEvent(ctx, {
          type: 'IngestRequested',
          data: { ticker, requestedBy: 'int-test', requestedAt, mode: plan.mode, retryOf: plan.retryOf ?? null },
        }),
      );
      return taskId;
    },
    publishRaw: async (subject, payload) => {
      await web.publish(subject, payload);
    },
    waitForTerminal: async (taskId, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const events = await readTaskEvents(js, jsm, taskId);
        if (events.some(isTerminalEvent)) return events;
        if (Date.now() > deadline)
          throw new Error(`task ${taskId} did not finish in ${timeoutMs} ms: ${events.map((e) => e.type).join(', ')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stored,
    forgetFilings: async () => {
      await sql`delete from filings`;
    },
    close: async () => {
      await Promise.all(ingestors.map((i) => i.stop().catch(() => {})));
      await Promise.all(connections.map((nc) => nc.close().catch(() => {})));
      await sql.end();
      await mirror.close();
      await system.stop();
    },
  };
}
