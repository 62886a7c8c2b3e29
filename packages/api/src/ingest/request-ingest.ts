import type { IngestMode, Ticker } from '@symbology/contracts';
import type { TrpcContext } from '../context';
import {
  admitIngestRequest,
  countForPeer,
  ensureIngestQueueRoom,
  ensurePeerRoom,
  ingestQueueHasRoom,
  peerHasRoom,
} from './admission';
import { claimTicker, type ClaimOutcome, type TaskPlan } from './claim-ticker';
import { planUpkeep } from './company-upkeep';
import { findKnownCompany } from './find-known-company';

/** A refresh or retry running behind a company page that already shows the stored data. */
export type BackgroundTask = {
  taskId: string;
  mode: IngestMode;
  /** true: another request started it. */ joined: boolean;
};

/**
 * Why a refresh or retry that is due was not started (asking again once there is room starts it):
 * the ingestion queue is full, or the ingestions this client asked for fill its share
 * (INGEST_ACTIVE_PER_PEER running or waiting, or INGEST_WAITING_PER_PEER waiting).
 */
export type DeferredBecause = 'queue_full' | 'peer_busy';

export type IngestRequestResult =
  /**
   * The company is stored: open its page now; `background` is the task bringing it up to date, if
   * any; `deferred`, why one that is due was not started, if so.
   */
  | { status: 'exists'; ticker: string; background: BackgroundTask | null; deferred: DeferredBecause | null }
  /** The company is not stored yet: follow the task that ingests it (`in_flight`: someone else's). */
  | { status: 'in_flight' | 'started'; taskId: string; ticker: string; mode: IngestMode };

const INITIAL: TaskPlan = { mode: 'initial', retryOf: null };

/**
 * One request for a ticker: an unknown company is ingested; a known one answers at once and, when
 * it is due, gets a refresh or a retry of what it misses in the background. Every web node shares
 * one task per ticker (`claimTicker`).
 */
export async function requestIngest(ctx: TrpcContext, ticker: Ticker): Promise<IngestRequestResult> {
  admitIngestRequest(ctx);
  let deferred: DeferredBecause | null = null;
  const outcome = await claimTicker(ctx, ticker, async () => {
    const known = await findKnownCompany(ctx.db, ticker);
    if (!known) {
      // Only a new task counts against the caps: joining one costs nothing.
      await ensurePeerRoom(ctx);
      await ensureIngestQueueRoom(ctx);
      return INITIAL;
    }
    const upkeep = await planUpkeep(ctx, known, ticker);
    if (!upkeep) return null;
    // A stored company opens whatever the queue holds; its upkeep, a new task like any other, waits
    // for a request that finds room in the queue and in the client's share of it.
    deferred = await noRoomFor(ctx);
    return deferred ? null : upkeep;
  });
  if (outcome.kind === 'started') countForPeer(ctx, outcome.taskId);
  return answer(ctx, ticker, outcome, deferred);
}

/** Why a new task of this client cannot start now (its share, then the queue), or null when it can. */
async function noRoomFor(ctx: TrpcContext): Promise<DeferredBecause | null> {
  if (!(await peerHasRoom(ctx))) return 'peer_busy';
  if (!(await ingestQueueHasRoom(ctx))) return 'queue_full';
  return null;
}

/** The same answer for every way a request can end, so the page's choice depends on what is stored. */
export async function answer(
  ctx: TrpcContext,
  ticker: string,
  outcome: ClaimOutcome,
  deferred: DeferredBecause | null = null,
): Promise<IngestRequestResult> {
  if (outcome.kind === 'idle') return { status: 'exists', ticker, background: null, deferred };
  const { taskId, mode } = outcome;
  if (mode !== 'initial' && (await findKnownCompany(ctx.db, ticker))) {
    const background = { taskId, mode, joined: outcome.kind === 'joined' };
    return { status: 'exists', ticker, background, deferred: null };
  }
  return { status: outcome.kind === 'joined' ? 'in_flight' : 'started', taskId, ticker, mode };
}
