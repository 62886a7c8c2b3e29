import { errors } from '@nats-io/transport-node';
import { isTransientNatsError } from './transient';

/**
 * NATS client errors that mean the connection is gone, going or failing, not that a request was
 * refused; found anywhere on the chain (a failed connect may keep the socket's error as its cause).
 */
const NATS_GONE: ReadonlyArray<abstract new (...args: never[]) => Error> = [
  errors.ClosedConnectionError,
  errors.DrainingConnectionError,
  errors.ConnectionError,
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
  return isNatsUnavailable(error) || isPostgresUnavailable(error);
}

/**
 * True when the database, not NATS, is what cannot be reached or cannot serve: a caller that can
 * wait for Postgres to answer again (the ingestor's outage hold) knows what to wait for. A NATS
 * error anywhere on the chain rules it out, whatever socket code sits below it.
 */
export function isPostgresUnavailable(error: unknown): boolean {
  if (isNatsUnavailable(error)) return false;
  return causes(error).some((cause) => {
    const code = (cause as { code?: unknown }).code;
    if (typeof code !== 'string') return false;
    if (DRIVER_CONNECTION_CODES.has(code) || SOCKET_CODES.has(code)) return true;
    return /^[0-9A-Z]{5}$/.test(code) && isUnavailableSqlState(code);
  });
}

function isNatsUnavailable(error: unknown): boolean {
  return isTransientNatsError(error) || causes(error).some((cause) => NATS_GONE.some((type) => cause instanceof type));
}

/** The error and its `cause`s, outermost first, up to a depth no real chain reaches. */
function causes(error: unknown): object[] {
  const chain: object[] = [];
  let current = error;
  while (chain.length < 8 && typeof current === 'object' && current !== null) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}
