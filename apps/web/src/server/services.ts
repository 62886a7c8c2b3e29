import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { PeerTasks, RateLimiter, StatusFanout, TaskTimelines, type ApiServices } from '@symbology/api';
import { INFLIGHT_BUCKET } from '@symbology/contracts';
import { createDb } from '@symbology/db';
import { connectAs, natsCredentials } from '@symbology/service';
import type { Env } from '../env';
import { createLogger, type Logger } from './observability/logger';
import { createMetrics, type WebMetrics } from './observability/metrics';

/**
 * Process-wide resources, created once at boot and shared by every request: the api's services
 * (it builds each request's context from them) with this app's configuration and metrics.
 */
export type Services = ApiServices & { config: Env; metrics: WebMetrics };

export class StartupError extends Error {
  override readonly name = 'StartupError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Connects to NATS and Postgres and opens what the procedures share. */
export async function createServices(config: Env, logger: Logger = createLogger(config.LOG_LEVEL)): Promise<Services> {
  const nc = await connectAs(natsCredentials(config), 'symbology-web').catch((cause: unknown) => {
    throw new StartupError(`Cannot connect to NATS at ${config.NATS_URL} as ${config.NATS_USER}`, { cause });
  });
  const inflight = await new Kvm(nc).open(INFLIGHT_BUCKET).catch((cause: unknown) => {
    throw new StartupError(`Cannot open the KV bucket ${INFLIGHT_BUCKET}: has ensureStreams run?`, { cause });
  });
  const metrics = createMetrics();
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const fanout = new StatusFanout({
    nc,
    js,
    jsm,
    logger,
    metrics,
    edgeFold: config.WEB_EDGE_FOLD === 'on',
    flushIntervalMs: config.WEB_STATUS_FLUSH_MS,
  });
  await fanout.start().catch((cause: unknown) => {
    throw new StartupError('Cannot read the INGEST stream for live statuses: has ensureStreams run?', { cause });
  });
  return {
    config,
    db: createDb(config.DATABASE_URL, { applicationName: 'symbology-web' }),
    nats: { nc, js, jsm, inflight, fanout },
    ingestLimiter: new RateLimiter(config.INGEST_RATE_LIMIT_PER_MINUTE, config.INGEST_RATE_LIMIT_BURST),
    callLimiter: new RateLimiter(config.TRPC_RATE_LIMIT_PER_MINUTE, config.TRPC_RATE_LIMIT_BURST),
    peerTasks: new PeerTasks(),
    timelines: new TaskTimelines(jsm),
    metrics,
    logger,
  };
}

export async function closeServices(services: Services): Promise<void> {
  await services.nats.fanout.stop();
  await services.nats.nc.drain().catch(() => {});
  await services.db.$client.end({ timeout: 5 });
}
