import { AppError } from '../app-error';
import type { TrpcContext } from '../context';
import { takePeerToken, tryAgainIn } from './peer-token';

/**
 * The per-peer rate limit on calls (TRPC_RATE_LIMIT_*): every query, mutation and subscription
 * start takes a token from its peer's bucket, a batch of N calls N of them, whatever the transport.
 * Without it one client could make the cheapest queries as fast as its sockets carry them and
 * load Postgres for everybody. Keyed on the network peer, as the ingestion limit is (a client
 * cannot choose it; an IPv6 peer counts by its /64). A context without a limiter (the host's own
 * page renders) is not counted.
 */
export function admitCall(ctx: CallOrigin): void {
  const wait = callWait(ctx);
  if (wait > 0) throw new AppError('RATE_LIMITED', tooManyCalls(wait), { retryAfterMs: wait });
}

type CallOrigin = Pick<TrpcContext, 'callLimiter' | 'metrics'> & { peer: string | undefined };

/** Takes the call's token: 0 when admitted, else how long (ms) its peer must wait, the refusal counted. */
export function callWait(ctx: CallOrigin): number {
  return takePeerToken(ctx.callLimiter, ctx.peer, ctx.metrics, 'call_rate_limited');
}

/** What a refused call (or page) is told. */
export function tooManyCalls(waitMs: number): string {
  return `Too many requests: ${tryAgainIn(waitMs)}`;
}
