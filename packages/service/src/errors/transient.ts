import { errors } from '@nats-io/transport-node';

/**
 * Root causes that mean a request got no answer, not that the server refused it: a timeout, the
 * connection dropping mid-request (a bare `RequestError`), no responder (a JetStream stream
 * electing its leader answers 503, which the client reports as "JetStream not enabled" caused by a
 * no-responders error), or a failed (re)connect. A later attempt of the same request may pass.
 */
const TRANSIENT: ReadonlyArray<abstract new (...args: never[]) => Error> = [
  errors.TimeoutError,
  errors.NoRespondersError,
  errors.ConnectionError,
  errors.RequestError,
];

/**
 * True when retrying the same NATS request may succeed. Decided by the class of the root cause
 * (the client wraps what went wrong in `RequestError`s and `cause`s), never by message text.
 */
export function isTransientNatsError(error: unknown): boolean {
  const root = rootCause(error);
  return TRANSIENT.some((type) => root instanceof type);
}

function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 8 && current instanceof Error && current.cause instanceof Error; depth++) {
    current = current.cause;
  }
  return current;
}
