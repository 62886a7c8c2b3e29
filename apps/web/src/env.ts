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
  WS_MAX_PAYLOAD_BYTES: int(64 * 1024),
  WS_PING_MS: int(30_000),
  WS_PONG_WAIT_MS: int(5_000),
  INGEST_RATE_LIMIT_PER_MINUTE: int(20),
  INGEST_RATE_LIMIT_BURST: int(5),
  /** A live subscription re-reads its task from Postgres this often, in case a core NATS message was lost. */
  STATUS_RESYNC_MS: int(10_000),
  /** A known company last read from EDGAR longer ago than this is refreshed when requested (`24h`, `30m`, ms). */
  REFRESH_AFTER: durationMs('24h'),
  /**
   * on: this process folds the INGEST stream itself and pushes each event's status at once;
   * off: live statuses come from the projector's announcements only (one commit later).
   */
  WEB_EDGE_FOLD: z.enum(['on', 'off']).default('on'),
  WEB_PUBLIC_API_URL: HttpUrlOrPath.default('/api/trpc'),
  WEB_PUBLIC_WS_URL: WsUrlOrPath.default(''),
  /** false: pages poll and never open a WebSocket. */
  WEB_PUBLIC_WS_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
});
export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {
  override readonly name = 'EnvError';
}

/** Parses the environment once at boot; a bad value stops the process with every problem listed. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
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
