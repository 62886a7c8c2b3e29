import { errors } from '@nats-io/transport-node';
import { isJetStreamUnavailable } from './jetstream-codes';

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
 * (the client wraps what went wrong in `RequestError`s and `cause`s), never by message text; or
 * by its JetStream code when JetStream answered that it cannot serve now (quorum lost, an
 * election, JetStream starting: `isJetStreamUnavailable`), or by a 503 status on a pull.
 */
export function isTransientNatsError(error: unknown): boolean {
  const root = rootCause(error);
  return TRANSIENT.some((type) => root instanceof type) || isJetStreamUnavailable(root) || isNoRespondersStatus(root);
}

/**
 * A pull (`fetch`) answered with status 503, no responders: the client's `JetStreamStatusError`,
 * which @nats-io/jetstream does not export, so it is recognised by its name and numeric status.
 */
function isNoRespondersStatus(error: unknown): boolean {
  return error instanceof Error && error.name === 'JetStreamStatusError' && (error as { code?: unknown }).code === 503;
}

function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 8 && current instanceof Error && current.cause instanceof Error; depth++) {
    current = current.cause;
  }
  return current;
}
