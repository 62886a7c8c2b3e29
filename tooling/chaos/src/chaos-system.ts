import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  createStepEvent,
  INGEST_STREAM,
  INGEST_SUBJECTS,
  isTerminalEvent,
  newTaskId,
  parseEvent,
  type IngestEvent,
  type NatsRole,
} from '@symbology/contracts';
import { REPO_ROOT, spawnServiceProcess, type RunningNatsCluster, type ServiceChild } from '@symbology/dev-services';
import { FIXTURES_DIR, startEdgarMirror, type EdgarMirror } from '@symbology/edgar-mirror';
import { publishEvent, PULL_EXPIRES_MS } from '@symbology/service';
import { startClusterTestSystem, type ClusterTestSystem, type TestSystem } from '@symbology/test-system';

export type ServiceKind = 'ingestor' | 'projector';

/** A service as production runs it: its own process (src/main.ts under tsx), configured by env. */
export type ServiceProcess = ServiceChild & { kind: ServiceKind };

export type ScenarioReport = {
  published: number;
  inStream: number;
  terminal: number;
  lost: number;
  duplicates: number;
  verify: 'ok' | string;
};

/** The services as processes on a test system; the NATS side may be one server or a cluster. */
export type ProcessSystem = {
  mirror: EdgarMirror;
  /** The services' database. */
  databaseUrl: string;
  services: ServiceProcess[];
  /** Starts a service against NATS, the database and the mirror; `env` overrides. */
  spawn(kind: ServiceKind, env?: Record<string, string>, databaseUrl?: string): ServiceProcess;
  /** kill -9 every running service of that kind (all when omitted). */
  killAll(kind?: ServiceKind): Promise<void>;
  /** Publishes IngestRequested as the web role would; resolves with the task id once stored. */
  request(ticker: string): Promise<string>;
  /** Every event of the stream, parsed, with duplicates as stored. */
  events(): Promise<IngestEvent[]>;
  /** Waits until every task has a terminal event, or fails naming the hung ones. */
  waitTerminal(taskIds: readonly string[], timeoutMs: number): Promise<void>;
  /** Counts and `verify` for these tasks, printed as one line. */
  report(scenario: string, taskIds: readonly string[], databaseUrl?: string): Promise<ScenarioReport>;
  stop(): Promise<void>;
};

export type ChaosSystem = ProcessSystem & {
  cluster: RunningNatsCluster;
  system: ClusterTestSystem;
  /**
   * Between scenarios: no fault injected at the mirror, no service running, every node running
   * (a stopped one continued, a killed one started) and INGEST current on all of them.
   */
  reset(): Promise<void>;
};

export async function startChaosSystem(): Promise<ChaosSystem> {
  const system = await startClusterTestSystem();
  const processes = await startProcessSystem(system, system.cluster);
  const { cluster } = system;
  return {
    ...processes,
    cluster,
    system,
    reset: async () => {
      processes.mirror.clearFaults();
      await processes.killAll();
      for (const node of cluster.nodes) {
        const pid = node.pid();
        if (pid) process.kill(pid, 'SIGCONT');
        if (!node.running()) await node.start();
      }
      await cluster.waitStreamCurrent(INGEST_STREAM);
    },
  };
}

/** What startProcessSystem needs of NATS: a single server and a cluster both have it. */
type NatsAccess = Pick<RunningNatsCluster, 'connect' | 'credentials'>;

/**
 * Runs the services as processes on a started test system (either kind), with the EDGAR mirror on
 * the repo fixtures and `mirrorRoots` before them; `stop()` stops everything, the system included.
 * `group` starts each report line (the test group: chaos, fuzz).
 */
export async function startProcessSystem(
  system: Pick<TestSystem, 'database' | 'operator' | 'stop'>,
  nats: NatsAccess,
  { mirrorRoots = [], group = 'chaos' }: { mirrorRoots?: string[]; group?: string } = {},
): Promise<ProcessSystem> {
  const mirror = await startEdgarMirror({ roots: [...mirrorRoots, FIXTURES_DIR] });
  const connections: NatsConnection[] = [];
  const web = await nats.connect('web', 'chaos-web');
  connections.push(web);
  const services: ServiceProcess[] = [];

  const natsEnv = (role: NatsRole) => {
    const c = nats.credentials(role);
    return { NATS_URL: c.servers, NATS_USER: c.user, NATS_PASSWORD: c.pass };
  };

  const spawnService = (kind: ServiceKind, env: Record<string, string> = {}, databaseUrl?: string) => {
    const child = spawnServiceProcess(`${REPO_ROOT}apps/${kind}`, {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      ...natsEnv(kind),
      DATABASE_URL: databaseUrl ?? system.database.url,
      HTTP_PORT: '0',
      LOG_LEVEL: 'info',
      ...(kind === 'ingestor'
        ? {
            EDGAR_WWW_URL: mirror.wwwUrl,
            EDGAR_DATA_URL: mirror.dataUrl,
            EDGAR_MAX_RPS: '1000',
            EDGAR_RETRY_BASE_MS: '50',
            INGEST_ACK_WAIT_MS: '3000',
            INGEST_RETRY_BASE_MS: '200',
            INGEST_CONCURRENCY: '4',
          }
        : {}),
      ...env,
    });
    const service: ServiceProcess = { kind, ...child };
    services.push(service);
    return service;
  };

  const operator = system.operator;
  /** Reads the stream, retrying what a leader election makes fail for a few seconds (timeouts, 503s). */
  const events = async (): Promise<IngestEvent[]> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await readAll();
      } catch (error) {
        if (attempt >= 20) throw error;
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  };
  const readAll = async (): Promise<IngestEvent[]> => {
    const jsm = await jetstreamManager(operator);
    const head = (await jsm.streams.info(INGEST_STREAM)).state.last_seq;
    if (head === 0) return [];
    const consumer = await jetstream(operator).consumers.get(INGEST_STREAM, {
      filter_subjects: INGEST_SUBJECTS,
      deliver_policy: DeliverPolicy.All,
    });
    const out: IngestEvent[] = [];
    const messages = await consumer.consume({ max_messages: 4_096, expires: PULL_EXPIRES_MS });
    // A replay cut off by an election stalls rather than fails: give it up and read again.
    let stalled = false;
    const guard = setTimeout(() => {
      stalled = true;
      void messages.close();
    }, 15_000);
    try {
      for await (const m of messages) {
        const parsed = parseEvent(m.data);
        if (parsed.ok) out.push(parsed.event);
        if (m.seq >= head) break;
      }
    } finally {
      clearTimeout(guard);
    }
    if (stalled) throw new Error(`reading ${INGEST_STREAM} stalled`);
    return out;
  };

  const waitTerminal = async (taskIds: readonly string[], timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const done = new Set((await events()).filter(isTerminalEvent).map((e) => e.taskId));
      const hung = taskIds.filter((id) => !done.has(id));
      if (hung.length === 0) return;
      if (Date.now() > deadline) {
        // What the services said last: the first thing to read when a scenario hangs.
        const tails = services
          .filter((s) => s.process.signalCode === null)
          .map(
            (s) =>
              `--- ${s.kind} (pid ${s.process.pid}, exit ${s.process.exitCode ?? 'running'}):\n${lastLines(s.output(), 15)}`,
          );
        throw new Error(
          `${hung.length} of ${taskIds.length} tasks hung (no terminal event): ${hung.join(', ')}\n${tails.join('\n')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  };

  /** The projector's own `verify` command, run as a process once it has caught up with the stream. */
  const verify = async (databaseUrl: string): Promise<string> => {
    const postgres = (await import('postgres')).default;
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const jsm = await jetstreamManager(operator);
      const head = (await jsm.streams.info(INGEST_STREAM)).state.last_seq;
      const deadline = Date.now() + 60_000;
      for (;;) {
        const [row] = await sql<{ last_seq: string }[]>`select last_seq from projection_checkpoints`.catch(() => []);
        if (Number(row?.last_seq ?? 0) >= head) break;
        if (Date.now() > deadline) {
          const projectors = services.filter((s) => s.kind === 'projector');
          const tails = projectors.map(
            (s) =>
              `--- projector (pid ${s.process.pid}, exit ${s.process.exitCode ?? s.process.signalCode ?? 'running'}):\n${lastLines(s.output(), 40)}`,
          );
          return `projector stuck at ${row?.last_seq ?? 0} of ${head}\n${tails.join('\n')}`;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    } finally {
      await sql.end();
    }
    const verify = spawnServiceProcess(
      `${REPO_ROOT}apps/projector`,
      {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        ...natsEnv('projector'),
        DATABASE_URL: databaseUrl,
      },
      { entry: 'src/cli/bin.ts', args: ['verify'] },
    );
    const { code } = await verify.exited;
    return code === 0 ? 'ok' : `failed (exit ${code}): ${verify.output().slice(-2_000)}`;
  };

  return {
    mirror,
    databaseUrl: system.database.url,
    services,
    spawn: spawnService,
    killAll: async (kind) => {
      await Promise.all(services.filter((s) => !kind || s.kind === kind).map((s) => s.kill()));
    },
    request: async (ticker) => {
      const taskId = newTaskId();
      const ctx = { taskId, correlationId: `chaos-${taskId}`, causationId: null, now: () => new Date() };
      await publishEvent(
        jetstream(web),
        createStepEvent(ctx, {
          type: 'IngestRequested',
          data: { ticker, requestedBy: 'chaos', requestedAt: new Date().toISOString(), mode: 'initial', retryOf: null },
        }),
      );
      return taskId;
    },
    events,
    waitTerminal,
    report: async (scenario, taskIds, databaseUrl) => {
      const wanted = new Set(taskIds);
      const mine = (await events()).filter((e) => wanted.has(e.taskId));
      const ids = mine.map((e) => e.eventId);
      const terminalPerTask = new Map<string, number>();
      for (const e of mine.filter(isTerminalEvent))
        terminalPerTask.set(e.taskId, (terminalPerTask.get(e.taskId) ?? 0) + 1);
      const requested = new Set(mine.filter((e) => e.type === 'IngestRequested').map((e) => e.taskId));
      const report: ScenarioReport = {
        published: taskIds.length,
        inStream: mine.length,
        terminal: terminalPerTask.size,
        lost: taskIds.filter((id) => !requested.has(id)).length,
        duplicates: ids.length - new Set(ids).size + [...terminalPerTask.values()].reduce((n, c) => n + (c - 1), 0),
        verify: await verify(databaseUrl ?? system.database.url),
      };
      console.log(
        `${group} ${scenario}: published ${report.published} / in stream ${report.inStream} events / ` +
          `terminal ${report.terminal}/${report.published} / lost ${report.lost} / duplicates ${report.duplicates} / ` +
          `verify ${report.verify === 'ok' ? 'ok' : 'FAILED'}`,
      );
      return report;
    },
    stop: async () => {
      await Promise.all(services.map((s) => s.kill()));
      await Promise.all(connections.map((nc) => nc.close().catch(() => {})));
      await mirror.close();
      await system.stop();
    },
  };
}

/** The mirror's fixture tickers: SYMB and SYMB-B resolve with filings, NOAR has none, FLKY is flaky. */
export const TICKERS = ['SYMB', 'FLKY', 'NOAR', 'SYMB-B'] as const;

export async function requestMany(chaos: ChaosSystem, n: number): Promise<string[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => chaos.request(TICKERS[i % TICKERS.length]!)));
}

const lastLines = (text: string, n: number) => text.trimEnd().split('\n').slice(-n).join('\n');

/** Polls until `check` returns a value. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
