import { databaseEnv, durationMs, hostEnv, instanceEnv, logLevelEnv, natsEnv } from '@symbology/service';
import { z } from 'zod';
import { HttpUrlOrPath, WsUrlOrPath } from './public-config';

const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean),
);
const int = (fallback: number) => z.coerce.number().int().positive().default(fallback);
/** Addresses or CIDR ranges: `10.0.0.5`, `10.0.0.0/8`, `fd00::/8`. */
const addressList = csv.pipe(z.array(z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()])));

export { WS_PATH, type PublicConfig } from './public-config';

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  ...hostEnv,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  ...natsEnv('web'),
  ...databaseEnv,
  ...logLevelEnv,
  ...instanceEnv,
  /** dev: next dev in-process; prod: serve the `next build` output; off: API and WebSocket only. */
  WEB_NEXT_MODE: z.enum(['dev', 'prod', 'off']).optional(),
  /** Origins allowed to open the WebSocket; empty means the page's own origin only. */
  WS_ALLOWED_ORIGINS: csv.default([]),
  WS_MAX_CONNECTIONS: int(10_000),
  /** WebSocket connections from one peer (an IPv4 address or an IPv6 /64, as the rate limit keys it); more: 429. */
  WS_MAX_CONNECTIONS_PER_PEER: int(50),
  WS_MAX_PAYLOAD_BYTES: int(64 * 1024),
  WS_PING_MS: int(30_000),
  WS_PONG_WAIT_MS: int(5_000),
  /** Subscriptions one WebSocket may hold at once; more are refused with LIMIT_EXCEEDED. */
  WS_MAX_SUBSCRIPTIONS_PER_SOCKET: int(100),
  /**
   * Subscriptions one peer may hold at once across all its WebSockets (a person with a few tabs
   * holds a handful); more are refused with LIMIT_EXCEEDED.
   */
  WS_MAX_SUBSCRIPTIONS_PER_PEER: int(200),
  /**
   * broadcast: `ingest.onStatus` is served beside tRPC's handler, each update serialized once and
   * written to every subscribed socket; trpc: through tRPC's handler, per subscription.
   */
  WS_STATUS_SUBSCRIPTIONS: z.enum(['broadcast', 'trpc']).default('broadcast'),
  /** Bytes queued on a socket past which its status updates skip to the newest (the terminal one always goes). */
  WS_SEND_HIGH_WATER_BYTES: int(256 * 1024),
  /** Bytes queued on a socket (a client not reading) past which it is closed with 1008, sent nothing more. */
  WS_MAX_BUFFERED_BYTES: int(1024 * 1024),
  /** Largest HTTP request body accepted (tRPC mutations are a few hundred bytes); larger: 413. */
  HTTP_MAX_BODY_BYTES: int(1024 * 1024),
  /**
   * Bytes of answers queued unsent to one peer (a client not reading), across its HTTP requests,
   * past which its new requests are refused with 429 before any work.
   */
  HTTP_MAX_UNSENT_BYTES_PER_PEER: int(16 * 1024 * 1024),
  /** An HTTP connection whose answer has made no progress (its client not reading) this long is destroyed. */
  HTTP_SEND_IDLE_TIMEOUT_MS: int(30_000),
  /** Most calls one tRPC HTTP batch may hold (more: 400), and one WebSocket message (more: closed with 1008). */
  TRPC_MAX_BATCH_SIZE: int(20),
  /**
   * Calls (queries, mutations, subscription starts) per peer address, over HTTP and WebSocket
   * alike; a batch of N counts N (token bucket: this many per minute, bursts of _BURST). Far above
   * what the page or the CLI make: a tab polls a task every 1.5 s, the CLI every 1 s.
   */
  TRPC_RATE_LIMIT_PER_MINUTE: int(2_400),
  TRPC_RATE_LIMIT_BURST: int(300),
  /** An HTTP request's headers must arrive within this, its whole body within _REQUEST_ (Node: 408 and close). */
  HTTP_HEADERS_TIMEOUT_MS: int(10_000),
  HTTP_REQUEST_TIMEOUT_MS: int(30_000),
  /**
   * Host names the server answers besides IP literals and localhost names (DNS-rebinding guard);
   * `*` accepts any Host.
   */
  ALLOWED_HOSTS: csv.default([]),
  /** Proxies whose X-Forwarded-For is believed (addresses or CIDRs); empty: the socket's peer is the client. */
  TRUSTED_PROXIES: addressList.default([]),
  /** Ingestion requests per peer address (token bucket: this many per minute, bursts of _BURST). */
  INGEST_RATE_LIMIT_PER_MINUTE: int(20),
  INGEST_RATE_LIMIT_BURST: int(5),
  /** New ingestions are refused while this many tasks are queued or running. */
  INGEST_QUEUE_MAX: int(200),
  /** A peer may start no new ingestion while this many it started (on this node) are queued or running. */
  INGEST_ACTIVE_PER_PEER: int(10),
  /** Of those, at most this many not yet taken up by an ingestor: one client queues no more ahead of others. */
  INGEST_WAITING_PER_PEER: int(3),
  /** A live subscription (broadcast: each watched task) re-reads its task this often, in case a core NATS message was lost. */
  STATUS_RESYNC_MS: int(10_000),
  /** A known company last read from EDGAR longer ago than this is refreshed when requested (`24h`, `30m`, ms). */
  REFRESH_AFTER: durationMs('24h'),
  /**
   * on: this process folds the INGEST stream itself and pushes each event's status at once;
   * off: live statuses come from the projector's announcements only (one commit later).
   */
  WEB_EDGE_FOLD: z.enum(['on', 'off']).default('on'),
  /**
   * Statuses reach the subscribers at once when none went out for this long, else at most this
   * often: under load a round of sends covers more tasks and more skipped versions (0: every turn).
   */
  WEB_STATUS_FLUSH_MS: z.coerce.number().int().min(0).max(1_000).default(5),
  WEB_PUBLIC_API_URL: HttpUrlOrPath.default('/api/trpc'),
  WEB_PUBLIC_WS_URL: WsUrlOrPath.default(''),
  /** false: pages poll and never open a WebSocket. */
  WEB_PUBLIC_WS_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
});
/** Settings that are only sound together, checked once each is parsed. */
const CheckedEnvSchema = EnvSchema.refine((env) => env.WS_MAX_BUFFERED_BYTES > env.WS_SEND_HIGH_WATER_BYTES, {
  message:
    'WS_MAX_BUFFERED_BYTES must be above WS_SEND_HIGH_WATER_BYTES (a slow reader is skipped updates before it is closed)',
  path: ['WS_MAX_BUFFERED_BYTES'],
}).refine((env) => env.HTTP_HEADERS_TIMEOUT_MS <= env.HTTP_REQUEST_TIMEOUT_MS, {
  message: 'HTTP_HEADERS_TIMEOUT_MS may not be above HTTP_REQUEST_TIMEOUT_MS (Node refuses it)',
  path: ['HTTP_HEADERS_TIMEOUT_MS'],
});
export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {
  override readonly name = 'EnvError';
}

/** Parses the environment once at boot; a bad value stops the process with every problem listed. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = CheckedEnvSchema.safeParse(source);
  if (!parsed.success) {
    throw new EnvError(`Invalid apps/web configuration:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/** This process's environment plus `overrides`, for the processes tests and tools start. */
export function childEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}

/** Next.js would otherwise try to send usage telemetry (there is no network here, nor consent). */
export function disableNextTelemetry(): void {
  process.env.NEXT_TELEMETRY_DISABLED ??= '1';
}
