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
