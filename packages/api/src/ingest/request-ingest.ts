import { isTerminal, newTaskId, type Ticker } from '@symbology/contracts';
import { AppError } from '../app-error';
import type { TrpcContext } from '../context';
import { isCasConflict } from '@symbology/service';
import { admitIngestRequest, ensureIngestQueueRoom } from './admission';
import { findKnownCompany } from './find-known-company';
import { publishIngestRequested } from './publish-request';
import { readStatus } from './read-status';

export type IngestRequestResult =
  | { status: 'exists'; ticker: string }
  | { status: 'in_flight'; taskId: string; ticker: string }
  | { status: 'started'; taskId: string; ticker: string };

/** A claim whose task is on neither the stream nor the projection after this long was abandoned. */
const ABANDONED_CLAIM_MS = 30_000;
const MAX_ATTEMPTS = 5;

/**
 * Starts at most one ingestion per ticker across every web node. The claim is the KV entry
 * ticker -> taskId in `ingest_inflight`, written with compare-and-set: `create` when there is
 * none, `update` at the revision read when the recorded task has ended. The loser of any race
 * loops, reads the winner's claim and answers with its task id.
 */
export async function requestIngest(ctx: TrpcContext, ticker: Ticker): Promise<IngestRequestResult> {
  admitIngestRequest(ctx);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const claim = await ctx.nats.inflight.get(ticker);
    const recorded = claim?.operation === 'PUT' ? claim.string() : undefined;
    if (claim && recorded && (await isRunning(ctx, recorded, claim.created))) {
      return { status: 'in_flight', taskId: recorded, ticker };
    }
    if (await findKnownCompany(ctx.db, ticker)) return { status: 'exists', ticker };
    await ensureIngestQueueRoom(ctx);
    const taskId = newTaskId();
    let revision: number;
    try {
      revision =
        claim && recorded
          ? await ctx.nats.inflight.update(ticker, taskId, claim.revision)
          : await ctx.nats.inflight.create(ticker, taskId);
    } catch (error) {
      if (isCasConflict(error)) continue;
      throw new AppError('UNAVAILABLE', 'Could not record the ingestion request: try again', { cause: error });
    }
    await publishOrRelease(ctx, taskId, ticker, revision);
    // The task id is the correlation id of every event and log line the request leads to.
    ctx.logger.info({ taskId, correlationId: taskId, ticker }, 'ingestion requested');
    return { status: 'started', taskId, ticker };
  }
  throw new AppError('CONFLICT', `Could not start or join an ingestion of ${ticker}: try again`);
}

async function isRunning(ctx: TrpcContext, taskId: string, claimedAt: Date): Promise<boolean> {
  const status = await readStatus(ctx, taskId);
  if (status) return !isTerminal(status);
  // Not on the stream yet: its requester may be publishing right now, unless that was long ago.
  return Date.now() - claimedAt.getTime() < ABANDONED_CLAIM_MS;
}

async function publishOrRelease(ctx: TrpcContext, taskId: string, ticker: Ticker, revision: number): Promise<void> {
  try {
    await publishIngestRequested(ctx, taskId, ticker);
  } catch (error) {
    // Free the ticker so that the next request can start a task instead of joining a ghost.
    await ctx.nats.inflight.delete(ticker, { previousSeq: revision }).catch(() => {});
    throw new AppError('UNAVAILABLE', 'Could not queue the ingestion: the event stream is unavailable', {
      cause: error,
    });
  }
}
