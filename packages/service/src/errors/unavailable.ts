import { errors } from '@nats-io/transport-node';
import { isTransientNatsError } from './transient';

/** NATS client errors that mean the connection is gone or going, not that a request was refused. */
const NATS_GONE: ReadonlyArray<abstract new (...args: never[]) => Error> = [
  errors.ClosedConnectionError,
  errors.DrainingConnectionError,
];

/** postgres.js's own codes for a connection that failed, ended or timed out before an answer. */
const DRIVER_CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

/** Socket errors (Node's `code`) from reaching a server that is down, unreachable or unknown. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs that mean the database cannot serve anyone right now, whatever the statement:
 * class 08 (connection exception), 53 (insufficient resources: too many connections, disk full),
 * 57P01-57P03 (shutting down, cannot connect now), 3D000 (the database does not exist: dropped or
 * misconfigured) and class 28 (the server refuses our credentials).
 */
function isUnavailableSqlState(code: string): boolean {
  return /^(08|53|28)/.test(code) || ['57P01', '57P02', '57P03', '3D000'].includes(code);
}

/**
 * True when an error says a backing service (Postgres, NATS) is unreachable or unable to serve,
 * rather than that this request is wrong: such a failure is the system's, shown to a client as a
 * generic "unavailable" (503) and logged in full. Decided by error classes and codes along the
 * `cause` chain, never by message text.
 */
export function isBackendUnavailable(error: unknown): boolean {
  if (isTransientNatsError(error)) return true;
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    if (NATS_GONE.some((type) => current instanceof type)) return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (DRIVER_CONNECTION_CODES.has(code) || SOCKET_CODES.has(code)) return true;
      if (/^[0-9A-Z]{5}$/.test(code) && isUnavailableSqlState(code)) return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
