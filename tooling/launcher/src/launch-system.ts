import { mkdir } from 'node:fs/promises';
import { startEdgarMirror, type EdgarMirror } from '@symbology/edgar-mirror';
import { passwordOf } from '@symbology/dev-services';
import { EXIT_NEEDS_OPERATOR } from '@symbology/service/exit-codes';
import { FIXTURES_DIR } from '@symbology/edgar-mirror/test-data';
import { buildTargets, type BuildOptions } from './build/build';
import type { TargetName } from './build/targets';
import { startOwnNats, type NatsPlan } from './infrastructure/nats';
import { choosePostgres, describePostgres, startPostgres, type DatabasePlan } from './infrastructure/postgres';
import { prepare } from './infrastructure/provision';
import type { LogSink } from './output/log-sink';
import { describeRefusal, REFUSAL_DOCS } from './process/refusal';
import { supervise } from './process/supervisor';
import { startWatchdog, type Watchdog } from './process/watchdog';
import { assertPortsFree, type NeededPort } from './ports/assert-ports-free';
import { SERVICE_ORDER, startService, type RunningService, type ServiceName } from './services';
import { NotReadyError } from './readiness';
import { assertNotRunning, removeInstanceState, stateFilePath, writeInstanceState } from './state-file';
import { step, StartupError } from './startup-error';

export type LaunchPlan = {
  /** The state file (instance.json), and the NATS store / embedded Postgres when they are ours. */
  dataDir: string;
  ports: Record<ServiceName, number> & { mirror: number };
  nats: NatsPlan;
  database: DatabasePlan;
  /** Serve recorded EDGAR responses from these roots (after the repo fixtures) and point the ingestor at them. */
  edgarMirror?: { roots: readonly string[] };
  /** Added to every service's environment (LOG_LEVEL, say). */
  serviceEnv?: Record<string, string>;
  logs: LogSink;
  /** Aborting stops a launch in progress: what started is stopped and the launch rejects. */
  signal?: AbortSignal;
};

export type RunningSystem = {
  webUrl: string;
  wsUrl: string;
  natsUrl: string;
  databaseUrl: string;
  mirror: EdgarMirror | undefined;
  /** Each service's running instance: a restart replaces its entry (new pid and instance id). */
  services: Record<ServiceName, RunningService>;
  /**
   * Stops restarting anything, then stops web, ingestor, projector, the mirror, NATS and Postgres
   * (each only if ours), in that order.
   */
  stop(): Promise<void>;
};

const PORT_VARIABLES = {
  web: 'SYMBOLOGY_WEB_PORT (or --port)',
  ingestor: 'SYMBOLOGY_INGESTOR_PORT',
  projector: 'SYMBOLOGY_PROJECTOR_PORT',
  mirror: 'SYMBOLOGY_MIRROR_PORT',
};

/**
 * The whole system, each service its own process running its compiled output: what `npm start`
 * runs and what the e2e tests run against. Builds what is stale, starts (or uses) NATS and
 * Postgres, migrates and provisions, starts the EDGAR mirror if asked, then projector, ingestor
 * and web, each awaited until its /readyz answers with the instance id it was given. From then on
 * each of those processes (and our nats-server) is supervised: restarted when it exits, with
 * backoff, except on exit 78 (a refusal an operator must resolve), which is reported instead.
 */
export async function launchSystem(plan: LaunchPlan): Promise<RunningSystem> {
  const { logs, signal } = plan;
  await step({ doing: `creating the data folder ${plan.dataDir}` }, () => mkdir(plan.dataDir, { recursive: true }));
  await assertNotRunning(plan.dataDir);
  const postgres = await choosePostgres(plan.database);
  const needed: NeededPort[] = [
    ...SERVICE_ORDER.map((name) => ({ port: plan.ports[name], what: name, variable: PORT_VARIABLES[name] })),
    ...('own' in plan.nats
      ? [
          { port: plan.nats.own.port, what: 'nats-server', variable: 'SYMBOLOGY_NATS_PORT' },
          { port: plan.nats.own.monitorPort, what: 'nats-server monitoring', variable: 'SYMBOLOGY_NATS_MONITOR_PORT' },
        ]
      : []),
    ...(plan.edgarMirror && plan.ports.mirror
      ? [{ port: plan.ports.mirror, what: 'EDGAR mirror', variable: PORT_VARIABLES.mirror }]
      : []),
    ...(postgres.kind === 'embedded'
      ? [{ port: postgres.port, what: 'embedded Postgres', variable: 'SYMBOLOGY_POSTGRES_PORT' }]
      : []),
  ];
  // A 0 is bound by the process itself (the mirror, a test's nats-server): nothing to check.
  await assertPortsFree(needed.filter(({ port }) => port !== 0));

  const build = (names: TargetName[]) => {
    const options: BuildOptions = {
      onStart: (name, reason) =>
        logs('launcher', `building ${name} (${reason})${name === 'web' ? ': next build takes a minute or two' : ''}`),
      onLine: (_name, line) => logs('build', line),
      onWait: (name, holders) => logs('launcher', `waiting for the build of ${name} by pid ${holders.join(', ')}`),
      ...(signal ? { signal } : {}),
    };
    const done = step(
      {
        doing: `building ${names.join(', ')}`,
        hint: 'the build lines above say why; `pnpm build` runs the same build on its own',
      },
      () => buildTargets(names, options),
    );
    done.catch(() => {}); // awaited where it is needed; a failure before then must not go unhandled
    return done;
  };
  await build(['launcher']); // the watchdog runs compiled
  const watchdog: Watchdog = startWatchdog();
  const started: Array<{ what: string; stop(): Promise<void> }> = [];
  // Aborted first thing on stop (or with the launch's own signal): no restart races the stop.
  const stopping = new AbortController();
  const supervision = signal ? AbortSignal.any([signal, stopping.signal]) : stopping.signal;
  // The state file is rewritten when a service restarts; writes run one at a time and none after stop.
  let recordState: (() => Promise<void>) | undefined;
  let stateWrites = Promise.resolve();
  const stateChanged = () => {
    stateWrites = stateWrites
      .then(() => (stopping.signal.aborted ? undefined : recordState?.()))
      .catch((error: Error) => logs('launcher', `updating ${stateFilePath(plan.dataDir)} failed: ${error.message}`));
  };
  const stop = async () => {
    stopping.abort();
    await stateWrites;
    for (const part of started.splice(0).reverse()) {
      await part.stop().catch((error: Error) => logs('launcher', `stopping ${part.what} failed: ${error.message}`));
    }
    await removeInstanceState(plan.dataDir);
    watchdog.close();
  };

  try {
    // The symbology CLI too: it is what a person uses next, against this instance.
    const bundles = build(['projector', 'ingestor', 'web-server', 'cli']);
    const pages = build(['web']);
    let natsUrl: string;
    if ('own' in plan.nats) {
      const own = plan.nats.own;
      const first = await step(
        {
          doing: `starting nats-server on ${own.port ? `port ${own.port}` : 'a free port'} (store ${own.storeDir})`,
          hint: 'the nats lines above say why; or set NATS_URL to use a NATS server that is already running',
        },
        () => startOwnNats(own, logs, watchdog, signal),
      );
      const nats = supervise(first, {
        name: 'nats-server',
        // On the ports it bound first: the services were given its URL.
        restart: (restartSignal) =>
          startOwnNats({ ...own, port: first.port, monitorPort: first.monitorPort }, logs, watchdog, restartSignal),
        logs,
        signal: supervision,
      });
      started.push({ what: 'nats-server', stop: nats.stop });
      natsUrl = nats.current().url;
      logs('launcher', `nats-server ready on ${natsUrl} (store ${plan.nats.own.storeDir})`);
    } else {
      natsUrl = plan.nats.url;
      logs('launcher', `using NATS at ${natsUrl}`);
    }
    const database = await step(describePostgres(postgres), () => startPostgres(postgres, logs, watchdog));
    started.push({ what: 'Postgres', stop: database.stop });
    await prepare(database.url, natsUrl, 'own' in plan.nats, process.env, (line) => logs('launcher', line));
    logs('launcher', 'database migrated; stream INGEST and KV buckets provisioned');

    let mirror: EdgarMirror | undefined;
    if (plan.edgarMirror) {
      const roots = [...new Set([FIXTURES_DIR, ...plan.edgarMirror.roots])];
      const running = await step({ doing: `starting the EDGAR mirror on port ${plan.ports.mirror}` }, () =>
        startEdgarMirror({ roots, port: plan.ports.mirror }),
      );
      mirror = running;
      started.push({ what: 'EDGAR mirror', stop: () => running.close() });
      logs('launcher', `EDGAR mirror serving ${roots.join(', ')} at ${running.url}`);
    }

    const infra = { natsUrl, databaseUrl: database.url, ...(mirror ? { edgar: mirror } : {}) };
    const services = {} as Record<ServiceName, RunningService>;
    await bundles;
    for (const name of SERVICE_ORDER) {
      if (name === 'web') await pages;
      signal?.throwIfAborted();
      const serviceOptions = { extraEnv: plan.serviceEnv, logs, watchdog };
      const service = await startService(name, plan.ports[name], infra, {
        ...serviceOptions,
        ...(signal ? { signal } : {}),
      }).catch((error: unknown) => {
        throw serviceStartFailure(name, plan.ports[name], error);
      });
      const supervisor = supervise(service, {
        name,
        restart: (restartSignal) =>
          startService(name, plan.ports[name], infra, { ...serviceOptions, signal: restartSignal }),
        onRestarted: (restarted) => {
          services[name] = restarted;
          stateChanged();
        },
        logs,
        signal: supervision,
      });
      started.push({ what: name, stop: supervisor.stop });
      services[name] = service;
      logs('launcher', `${name} ready (pid ${service.pid})`);
    }

    const webUrl = services.web.url;
    const wsUrl = `${webUrl.replace(/^http/, 'ws')}/api/trpc-ws`;
    const startedAt = new Date().toISOString();
    recordState = () =>
      writeInstanceState(plan.dataDir, {
        pid: process.pid,
        startedAt,
        webUrl,
        wsUrl,
        natsUrl,
        services: Object.fromEntries(
          SERVICE_ORDER.map((name) => [
            name,
            { url: services[name].url, pid: services[name].pid, instanceId: services[name].instanceId },
          ]),
        ),
        subscriber: { user: 'subscriber', pass: passwordOf('subscriber') },
      });
    // In the queue too: a service that restarted meanwhile must not write the file at the same time.
    const written = stateWrites.then(recordState);
    stateWrites = written.catch(() => {});
    await written;
    watchdog.removeOnCrash(stateFilePath(plan.dataDir));
    return { webUrl, wsUrl, natsUrl, databaseUrl: database.url, mirror, services, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * A service that did not start: exit 78 is a refusal only an operator resolves, said once and plainly
 * (its log's stack trace was printed above already), with the page that says what to do.
 */
export function serviceStartFailure(name: ServiceName, port: number, error: unknown): Error {
  if (error instanceof NotReadyError && error.exit?.code === EXIT_NEEDS_OPERATOR)
    return new StartupError(
      `the ${describeRefusal(name, error.lastLines)}`,
      `follow ${REFUSAL_DOCS}, then start Symbology again`,
      { cause: error },
    );
  if (error instanceof StartupError || (error instanceof Error && error.name === 'AbortError')) return error;
  return new StartupError(
    `starting the ${name} on port ${port}: ${error instanceof Error ? error.message : String(error)}`,
    `its lines above say why`,
    { cause: error },
  );
}
