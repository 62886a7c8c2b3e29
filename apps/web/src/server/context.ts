import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Database } from '@symbology/db';
import type { Env } from '../env';
import type { RateLimiter } from './ingest/rate-limiter';
import type { StatusFanout } from './ingest/status-fanout';
import type { Logger } from './observability/logger';
import type { WebMetrics } from './observability/metrics';

export type NatsHandles = {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** `ingest_inflight`: ticker -> taskId of the ingestion running for it. */
  inflight: KV;
  fanout: StatusFanout;
};

/** Process-wide resources, created once at boot (services.ts) and shared by every request. */
export type Services = {
  config: Env;
  db: Database;
  nats: NatsHandles;
  ingestLimiter: RateLimiter;
  metrics: WebMetrics;
  logger: Logger;
};

export type TrpcContext = Pick<Services, 'config' | 'db' | 'nats' | 'ingestLimiter' | 'metrics'> & {
  /** Who is asking: the browser's session id, else the remote address. Rate limits key on it. */
  clientId: string;
  logger: Logger;
};

const CLIENT_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export function createContext(
  services: Services,
  clientHint: string | undefined,
  remoteAddress: string | undefined,
): TrpcContext {
  const clientId = clientHint && CLIENT_ID.test(clientHint) ? clientHint : `ip:${remoteAddress ?? 'unknown'}`;
  return {
    config: services.config,
    db: services.db,
    nats: services.nats,
    ingestLimiter: services.ingestLimiter,
    metrics: services.metrics,
    clientId,
    logger: services.logger.child({ clientId }),
  };
}
