import { countActiveTasks, endedAmong } from '@symbology/db';
import { AppError } from '../app-error';
import type { TrpcContext } from '../context';
import { peerKey } from '../limits/peer-key';

type Deps = Pick<TrpcContext, 'ingestLimiter' | 'peerTasks' | 'peer' | 'metrics' | 'config' | 'db'>;

/**
 * The per-peer rate limit on ingestion requests. Keyed on the network peer, which a client
 * cannot choose (a fresh `x-client-id` or a forged `X-Forwarded-For` per request must not buy a
 * fresh bucket; an IPv6 peer counts by its /64); the transport decides what the peer is (see
 * apps/web's client-address).
 */
export function admitIngestRequest(ctx: Deps): void {
  const wait = ctx.ingestLimiter.take(peerKey(ctx.peer));
  if (wait === 0) return;
  ctx.metrics.refused.inc({ reason: 'ingest_rate_limited' });
  throw new AppError('RATE_LIMITED', `Too many ingestion requests: try again in ${Math.ceil(wait / 1000)} s`, {
    retryAfterMs: wait,
  });
}

/** Whether fewer than `INGEST_QUEUE_MAX` tasks are queued or running (see `ensureIngestQueueRoom`). */
export async function ingestQueueHasRoom(ctx: Pick<Deps, 'db' | 'config'>): Promise<boolean> {
  return (await countActiveTasks(ctx.db.$client)) < ctx.config.INGEST_QUEUE_MAX;
}

/** How long a client refused for a full queue should wait: tasks take tens of seconds each. */
const QUEUE_FULL_RETRY_MS = 30_000;

/**
 * The per-peer cap on the ingestions a peer started here that are still queued or running
 * (INGEST_ACTIVE_PER_PEER), checked before it starts another: see PeerTasks. The projection says
 * which have ended; one it has not seen yet still counts.
 */
export async function ensurePeerRoom(ctx: Deps): Promise<void> {
  if (await peerHasRoom(ctx)) return;
  const max = ctx.config.INGEST_ACTIVE_PER_PEER;
  ctx.metrics.refused.inc({ reason: 'ingest_peer_busy' });
  throw new AppError(
    'LIMIT_EXCEEDED',
    `${max} ingestions you asked for are still waiting or running: ask for another once one of them has finished`,
    { retryAfterMs: QUEUE_FULL_RETRY_MS },
  );
}

/** Whether fewer than INGEST_ACTIVE_PER_PEER ingestions the peer started here are queued or running. */
export async function peerHasRoom(ctx: Deps): Promise<boolean> {
  const peer = peerKey(ctx.peer);
  const started = ctx.peerTasks.of(peer);
  if (started.length < ctx.config.INGEST_ACTIVE_PER_PEER) return true;
  const ended = await endedAmong(ctx.db.$client, started);
  ctx.peerTasks.forget(peer, ended);
  return started.length - ended.length < ctx.config.INGEST_ACTIVE_PER_PEER;
}

/** Records a task the peer started, for ensurePeerRoom. */
export function countForPeer(ctx: Pick<Deps, 'peerTasks' | 'peer'>, taskId: string): void {
  ctx.peerTasks.add(peerKey(ctx.peer), taskId);
}

/**
 * The global cap on queued and running ingestions, checked before a new task is started (joining
 * a running one or opening a known company costs nothing). The count is the projection's, so it
 * is approximate: requests racing past the check, or tasks the projector has not seen, may take
 * it a little over; its purpose is to bound the queue a flood of distinct tickers can build.
 */
export async function ensureIngestQueueRoom(ctx: Deps): Promise<void> {
  if (await ingestQueueHasRoom(ctx)) return;
  ctx.metrics.refused.inc({ reason: 'ingest_queue_full' });
  throw new AppError(
    'LIMIT_EXCEEDED',
    `The ingestion queue is full (${ctx.config.INGEST_QUEUE_MAX} tasks waiting or running): try again in a minute`,
    { retryAfterMs: QUEUE_FULL_RETRY_MS },
  );
}
