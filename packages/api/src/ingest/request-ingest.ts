import type { IngestMode, Ticker } from '@symbology/contracts';
import type { TrpcContext } from '../context';
import {
  admitIngestRequest,
  countForPeer,
  ensureIngestQueueRoom,
  ensurePeerRoom,
  ingestQueueHasRoom,
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

export type IngestRequestResult =
  /**
   * The company is stored: open its page now; `background` is the task bringing it up to date, if
   * any. `deferred`: a refresh or retry is due but the ingestion queue is full, so none was started
   * (asking again once there is room starts it).
   */
  | { status: 'exists'; ticker: string; background: BackgroundTask | null; deferred: boolean }
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
  let deferred = false;
  const outcome = await claimTicker(ctx, ticker, async () => {
    const known = await findKnownCompany(ctx.db, ticker);
    if (!known) {
      // Only a new task counts against the caps: joining one costs nothing.
      await ensurePeerRoom(ctx);
      await ensureIngestQueueRoom(ctx);
      return INITIAL;
    }
    const upkeep = await planUpkeep(ctx, known, ticker);
    if (!upkeep || (await ingestQueueHasRoom(ctx))) return upkeep;
    // A stored company opens whatever the queue holds; its upkeep waits for a request that finds room.
    deferred = true;
    return null;
  });
  if (outcome.kind === 'started') countForPeer(ctx, outcome.taskId);
  return answer(ctx, ticker, outcome, deferred);
}

/** The same answer for every way a request can end, so the page's choice depends on what is stored. */
export async function answer(
  ctx: TrpcContext,
  ticker: string,
  outcome: ClaimOutcome,
  deferred = false,
): Promise<IngestRequestResult> {
  if (outcome.kind === 'idle') return { status: 'exists', ticker, background: null, deferred };
  const { taskId, mode } = outcome;
  if (mode !== 'initial' && (await findKnownCompany(ctx.db, ticker))) {
    const background = { taskId, mode, joined: outcome.kind === 'joined' };
    return { status: 'exists', ticker, background, deferred: false };
  }
  return { status: outcome.kind === 'joined' ? 'in_flight' : 'started', taskId, ticker, mode };
}
