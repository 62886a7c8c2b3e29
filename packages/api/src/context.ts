import { randomUUID } from 'node:crypto';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Database } from '@symbology/db';
import type { Logger } from 'pino';
import type { RateLimiter } from './limits/rate-limiter';
import type { StatusFanout } from './ingest/status-fanout';
import type { TaskTimelines } from './ingest/task-timelines';
import { UNKNOWN_PEER } from './limits/peer-key';
import type { PeerTasks } from './limits/peer-tasks';
import type { SubscriptionSlots } from './limits/subscription-slots';
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
  /** New ingestions are refused while this many tasks are queued or running (not terminal). */
  INGEST_QUEUE_MAX: number;
  /** A peer may start no new ingestion while this many it started on this node are queued or running. */
  INGEST_ACTIVE_PER_PEER: number;
  /** Of those, at most this many may wait for an ingestor (not yet begun). */
  INGEST_WAITING_PER_PEER: number;
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
  /** Every call's limit per peer (TRPC_RATE_LIMIT_*): see limits/call-rate.ts. */
  callLimiter: RateLimiter;
  /** The ingestions each peer started here that may still run (INGEST_ACTIVE_PER_PEER). */
  peerTasks: PeerTasks;
  /** Each task's event timeline read from the stream, cached per task version. */
  timelines: TaskTimelines;
  metrics: ApiMetrics;
  logger: Logger;
};

/** Who is asking, as the transport saw it. */
export type RequestOrigin = {
  /** The client's self-chosen id (browser session, CLI): recorded as `requestedBy`, never trusted for limits. */
  clientId?: string | undefined;
  /** The network peer: the socket's address, or the forwarded one when the socket is a trusted proxy. */
  peer: string | undefined;
  /** The connection's subscription budget (WebSocket); none on one-shot transports. */
  subscriptionSlots?: SubscriptionSlots;
  /**
   * A call the host makes itself (apps/web's server components prefetching a page), not a
   * client's: no peer's call rate counts it. Every such call would otherwise share the one
   * bucket of the unknown peer.
   */
  inProcess?: boolean;
};

export type TrpcContext = Pick<
  ApiServices,
  'config' | 'db' | 'nats' | 'ingestLimiter' | 'peerTasks' | 'timelines' | 'metrics'
> & {
  /** Who is asking, in their own words: the browser's session id, else `ip:<peer>`. */
  clientId: string;
  /** The network peer's address: what rate limits key on, since a client cannot choose it. */
  peer: string;
  /** Correlates a client's error report with the server's log line (HTTP: per request; WebSocket: per connection). */
  requestId: string;
  subscriptionSlots: SubscriptionSlots | undefined;
  /** The calls' rate limit, undefined for the host's own calls (`RequestOrigin.inProcess`). */
  callLimiter: RateLimiter | undefined;
  logger: Logger;
};

const CLIENT_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** One request's (or WebSocket connection's) context: the shared services plus who is asking. */
export function createContext(services: ApiServices, origin: RequestOrigin): TrpcContext {
  const peer = origin.peer ?? UNKNOWN_PEER;
  const clientId = origin.clientId && CLIENT_ID.test(origin.clientId) ? origin.clientId : `ip:${peer}`;
  const requestId = randomUUID();
  return {
    config: services.config,
    db: services.db,
    nats: services.nats,
    ingestLimiter: services.ingestLimiter,
    peerTasks: services.peerTasks,
    timelines: services.timelines,
    metrics: services.metrics,
    clientId,
    peer,
    requestId,
    subscriptionSlots: origin.subscriptionSlots,
    callLimiter: origin.inProcess ? undefined : services.callLimiter,
    logger: services.logger.child({ requestId, clientId, peer }),
  };
}
