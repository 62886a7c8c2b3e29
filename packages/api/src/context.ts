import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Database } from '@symbology/db';
import type { Logger } from 'pino';
import type { RateLimiter } from './ingest/rate-limiter';
import type { StatusFanout } from './ingest/status-fanout';
import type { ApiMetrics } from './metrics';

export type NatsHandles = {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** `ingest_inflight`: ticker -> taskId of the ingestion running for it. */
  inflight: KV;
  fanout: StatusFanout;
};

/** What the procedures read of the host's configuration (apps/web's env satisfies it). */
export type ApiConfig = {
  /** A live subscription re-reads its task from Postgres this often, in case a core NATS message was lost. */
  STATUS_RESYNC_MS: number;
  /** Milliseconds: a known company last read from EDGAR longer ago than this is refreshed when requested. */
  REFRESH_AFTER: number;
};

/**
 * Process-wide resources the host creates once at boot (apps/web's services.ts) and shares by
 * every request.
 */
export type ApiServices = {
  config: ApiConfig;
  db: Database;
  nats: NatsHandles;
  ingestLimiter: RateLimiter;
  metrics: ApiMetrics;
  logger: Logger;
};

export type TrpcContext = Pick<ApiServices, 'config' | 'db' | 'nats' | 'ingestLimiter' | 'metrics'> & {
  /** Who is asking: the browser's session id, else the remote address. Rate limits key on it. */
  clientId: string;
  logger: Logger;
};

const CLIENT_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** One request's context: the shared services plus who is asking. */
export function createContext(
  services: ApiServices,
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
