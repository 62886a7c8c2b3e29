import { mkdir } from 'node:fs/promises';
import { startEdgarMirror, type EdgarMirror } from '@symbology/edgar-mirror';
import { passwordOf } from '@symbology/dev-services';
import { FIXTURES_DIR } from '@symbology/edgar-mirror/test-data';
import { buildTargets, type BuildOptions } from './build/build';
import type { TargetName } from './build/targets';
import { startOwnNats, type NatsPlan } from './infrastructure/nats';
import { choosePostgres, startPostgres, type DatabasePlan } from './infrastructure/postgres';
import { prepare } from './infrastructure/provision';
import type { LogSink } from './output/log-sink';
import { startWatchdog, type Watchdog } from './process/watchdog';
import { assertPortsFree, type NeededPort } from './ports/assert-ports-free';
import { SERVICE_ORDER, startService, type RunningService, type ServiceName } from './services';
import { assertNotRunning, removeInstanceState, stateFilePath, writeInstanceState } from './state-file';

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
  services: Record<ServiceName, RunningService>;
  /** Stops web, ingestor, projector, the mirror, NATS and Postgres (each only if ours), in that order. */
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
 * and web, each awaited until its /readyz answers with the instance id it was given.
 */
export async function launchSystem(plan: LaunchPlan): Promise<RunningSystem> {
  const { logs, signal } = plan;
  await mkdir(plan.dataDir, { recursive: true });
  await assertNotRunning(plan.dataDir);
  const postgres = await choosePostgres(plan.database);
  await assertPortsFree([
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
  ] satisfies NeededPort[]);

  const build = (names: TargetName[]) => {
    const options: BuildOptions = {
      onStart: (name, reason) =>
        logs('launcher', `building ${name} (${reason})${name === 'web' ? ': next build takes a minute or two' : ''}`),
      onLine: (_name, line) => logs('build', line),
      onWait: (name, holders) => logs('launcher', `waiting for the build of ${name} by pid ${holders.join(', ')}`),
      ...(signal ? { signal } : {}),
    };
    const done = buildTargets(names, options);
    done.catch(() => {}); // awaited where it is needed; a failure before then must not go unhandled
    return done;
  };
  await build(['launcher']); // the watchdog runs compiled
  const watchdog: Watchdog = startWatchdog();
  const started: Array<{ what: string; stop(): Promise<void> }> = [];
  const stop = async () => {
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
      const nats = await startOwnNats(plan.nats.own, logs, watchdog);
      started.push({ what: 'nats-server', stop: () => nats.child.stop() });
      natsUrl = nats.url;
      logs('launcher', `nats-server ready on ${natsUrl} (store ${plan.nats.own.storeDir})`);
    } else {
      natsUrl = plan.nats.url;
      logs('launcher', `using NATS at ${natsUrl}`);
    }
    const database = await startPostgres(postgres, logs, watchdog);
    started.push({ what: 'Postgres', stop: database.stop });
    await prepare(database.url, natsUrl, 'own' in plan.nats);
    logs('launcher', 'database migrated; stream INGEST and KV buckets provisioned');

    let mirror: EdgarMirror | undefined;
    if (plan.edgarMirror) {
      const roots = [...new Set([FIXTURES_DIR, ...plan.edgarMirror.roots])];
      const running = await startEdgarMirror({ roots, port: plan.ports.mirror });
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
      const service = await startService(name, plan.ports[name], infra, {
        extraEnv: plan.serviceEnv,
        logs,
        watchdog,
        ...(signal ? { signal } : {}),
      });
      started.push({ what: name, stop: () => service.child.stop() });
      services[name] = service;
      logs('launcher', `${name} ready (pid ${service.pid})`);
    }

    const webUrl = services.web.url;
    const wsUrl = `${webUrl.replace(/^http/, 'ws')}/api/trpc-ws`;
    await writeInstanceState(plan.dataDir, {
      pid: process.pid,
      startedAt: new Date().toISOString(),
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
    watchdog.removeOnCrash(stateFilePath(plan.dataDir));
    return { webUrl, wsUrl, natsUrl, databaseUrl: database.url, mirror, services, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
