import { devNatsPassword, type NatsRole } from '@symbology/contracts';
import { z } from 'zod';
import type { NatsRoleCredentials } from '../connect/connect-as';

// Zod shapes the three services spread into their own env schema (`z.object({ ...natsEnv('web'),
// ... })`), so a variable shared by all of them has one name, one default and one validation.

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const LogLevelSchema = z.enum(LOG_LEVELS);

/** The NATS server(s) and the service's own role: its user and (in development) its password. */
export function natsEnv(role: NatsRole) {
  return {
    NATS_URL: z.string().min(1).default('nats://127.0.0.1:4333'),
    NATS_USER: z.string().min(1).default(role),
    NATS_PASSWORD: z.string().min(1).default(devNatsPassword(role)),
  };
}

export const databaseEnv = {
  DATABASE_URL: z.string().min(1).default('postgres://postgres@127.0.0.1:5432/symbology'),
};

export const logLevelEnv = { LOG_LEVEL: LogLevelSchema.default('info') };

/** The interface a service listens on: loopback unless the operator opens it up. */
export const hostEnv = { HOST: z.string().min(1).default('127.0.0.1') };

/** Where a service without a web server of its own answers /healthz, /readyz and /metrics. */
export function opsEnv(defaultPort: number) {
  return { ...hostEnv, HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(defaultPort) };
}

/**
 * Who this process is, in /healthz and /readyz: the launcher sets it so it can tell the process it
 * started from an old one still holding the port; otherwise a fresh UUID per boot.
 */
export const instanceEnv = {
  SYMBOLOGY_INSTANCE_ID: z
    .string()
    .min(1)
    .default(() => newInstanceId()),
};

export function newInstanceId(): string {
  return globalThis.crypto.randomUUID();
}

/** The parsed NATS variables as the credentials `connectAs` takes. */
export function natsCredentials(env: {
  NATS_URL: string;
  NATS_USER: string;
  NATS_PASSWORD: string;
}): NatsRoleCredentials {
  return { servers: env.NATS_URL, user: env.NATS_USER, pass: env.NATS_PASSWORD };
}

const DURATION_UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * A duration as a person writes it (`90s`, `30m`, `24h`, `7d`, or plain milliseconds), parsed to
 * milliseconds; `fallback` is written the same way.
 */
export function durationMs(fallback: string) {
  return z
    .string()
    .trim()
    .default(fallback)
    .transform((text, ctx) => {
      const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(text);
      const value = match
        ? Number(match[1]) * DURATION_UNIT_MS[(match[2] ?? 'ms') as keyof typeof DURATION_UNIT_MS]
        : NaN;
      if (!Number.isFinite(value) || value <= 0) {
        ctx.addIssue({ code: 'custom', message: `expected a duration such as 90s, 30m, 24h or 7d, got "${text}"` });
        return z.NEVER;
      }
      return Math.round(value);
    });
}
