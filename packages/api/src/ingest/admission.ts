import { countActiveTasks, standingOf, taskStanding, type TaskStanding } from '@symbology/db';
import { AppError } from '../app-error';
import type { TrpcContext } from '../context';
import { peerKey } from '../limits/peer-key';
import { takePeerToken, tryAgainIn } from '../limits/peer-token';
import { readLiveStatus } from './read-live-status';

type Deps = Pick<TrpcContext, 'ingestLimiter' | 'peerTasks' | 'peer' | 'metrics' | 'config' | 'db' | 'nats'>;

/**
 * The per-peer rate limit on ingestion requests (takePeerToken); the transport decides what the
 * peer is (see apps/web's client-address).
 */
export function admitIngestRequest(ctx: Deps): void {
  const wait = takePeerToken(ctx.ingestLimiter, ctx.peer, ctx.metrics, 'ingest_rate_limited');
  if (wait === 0) return;
  throw new AppError('RATE_LIMITED', `Too many ingestion requests: ${tryAgainIn(wait)}`, { retryAfterMs: wait });
}

/** Whether fewer than `INGEST_QUEUE_MAX` tasks are queued or running (see `ensureIngestQueueRoom`). */
export async function ingestQueueHasRoom(ctx: Pick<Deps, 'db' | 'config'>): Promise<boolean> {
  return (await countActiveTasks(ctx.db.$client)) < ctx.config.INGEST_QUEUE_MAX;
}

/** How long a client refused for a full queue should wait: tasks take tens of seconds each. */
const QUEUE_FULL_RETRY_MS = 30_000;

/**
 * The per-peer caps on the ingestions a peer started here (see PeerTasks), checked before it
 * starts another: at most INGEST_ACTIVE_PER_PEER still queued or running, and of those at most
 * INGEST_WAITING_PER_PEER not yet taken up by an ingestor. The first bounds what one client holds;
 * the second keeps it from queueing its whole share ahead of everyone who asks after it: the
 * queue is served in order, so a newcomer waits behind at most that many of one client's tasks.
 * The projection says where each stands; one it has not seen yet is waiting.
 */
export async function ensurePeerRoom(ctx: Deps): Promise<void> {
  const used = await peerShareUsed(ctx);
  if (!used) return;
  ctx.metrics.refused.inc({ reason: 'ingest_peer_busy' });
  throw new AppError(
    'LIMIT_EXCEEDED',
    used.waiting
      ? `${used.count} ingestions you asked for are waiting for a free ingestion slot: ask for another once one of them has started`
      : `${used.count} ingestions you asked for are still waiting or running: ask for another once one of them has finished`,
    { retryAfterMs: used.waiting ? PEER_WAITING_RETRY_MS : QUEUE_FULL_RETRY_MS },
  );
}

/** How long a client whose own tasks wait should wait: the queue moves every few seconds. */
const PEER_WAITING_RETRY_MS = 10_000;

/** Whether the peer may start another ingestion now (ensurePeerRoom's caps). */
export async function peerHasRoom(ctx: Deps): Promise<boolean> {
  return !(await peerShareUsed(ctx));
}

/** Which of the peer's caps is reached, with its count; undefined when neither is. */
async function peerShareUsed(ctx: Deps): Promise<{ waiting: boolean; count: number } | undefined> {
  const { INGEST_ACTIVE_PER_PEER: maxActive, INGEST_WAITING_PER_PEER: maxWaiting } = ctx.config;
  const peer = peerKey(ctx.peer);
  const started = ctx.peerTasks.of(peer);
  if (started.length < Math.min(maxActive, maxWaiting)) return undefined;
  const standing = await liveStanding(ctx, started);
  ctx.peerTasks.forget(peer, standing.ended);
  const active = standing.begun.length + standing.waiting.length;
  if (active >= maxActive) return { waiting: false, count: active };
  if (standing.waiting.length >= maxWaiting) return { waiting: true, count: standing.waiting.length };
  return undefined;
}

/**
 * Where these tasks stand: the projection's answer, and for each it has not seen end, the newest
 * status this process knows (readLiveStatus). With the projector down or behind, tasks that ended
 * on the stream would otherwise hold their peer's share, as waiting, for as long as it is.
 */
async function liveStanding(ctx: Deps, taskIds: readonly string[]): Promise<TaskStanding> {
  const projected = await taskStanding(ctx.db.$client, taskIds);
  const unended = [...projected.begun, ...projected.waiting];
  const live = await Promise.all(unended.map((id) => readLiveStatus(ctx, id)));
  const standing: TaskStanding = { ended: [...projected.ended], begun: [], waiting: [] };
  unended.forEach((id, i) => standing[standingOf(live[i]?.status)].push(id));
  return standing;
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
