import { isTerminal, newTaskId, type IngestMode, type Ticker } from '@symbology/contracts';
import { isCasConflict } from '@symbology/service';
import { AppError } from '../app-error';
import type { TrpcContext } from '../context';
import { publishIngestRequested } from './publish-request';
import { readRequestedStatus } from './read-requested-event';
import { readLiveStatus } from './read-live-status';

/** What to start for a ticker once no task holds it; null: nothing to do. */
export type TaskPlan = { mode: IngestMode; retryOf: string | null };

export type ClaimOutcome =
  /** A task already runs for the ticker: the caller shares it. */
  | { kind: 'joined'; taskId: string; mode: IngestMode }
  | { kind: 'started'; taskId: string; mode: IngestMode }
  | { kind: 'idle' };

/** A claim whose task is on neither the stream nor the projection after this long was abandoned. */
const ABANDONED_CLAIM_MS = 30_000;
const MAX_ATTEMPTS = 5;

/**
 * Runs at most one task per ticker across every web node, whatever its mode. The claim is the KV
 * entry ticker -> taskId in `ingest_inflight`, written with compare-and-set: `create` when there
 * is none, `update` at the revision read when the recorded task has ended. The loser of any race
 * loops, reads the winner's claim and joins its task. `plan` is asked only when the ticker is free.
 */
export async function claimTicker(
  ctx: TrpcContext,
  ticker: Ticker,
  plan: () => Promise<TaskPlan | null>,
): Promise<ClaimOutcome> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const claim = await ctx.nats.inflight.get(ticker);
    const recorded = claim?.operation === 'PUT' ? claim.string() : undefined;
    if (claim && recorded) {
      const running = await runningMode(ctx, recorded, claim.created);
      if (running) return { kind: 'joined', taskId: recorded, mode: running };
    }
    const wanted = await plan();
    if (!wanted) return { kind: 'idle' };
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
    await publishOrRelease(ctx, taskId, ticker, revision, wanted);
    // The task id is the correlation id of every event and log line the request leads to.
    ctx.logger.info({ taskId, correlationId: taskId, ticker, ...wanted }, 'ingestion requested');
    return { kind: 'started', taskId, mode: wanted.mode };
  }
  throw new AppError('CONFLICT', `Could not start or join an ingestion of ${ticker}: try again`);
}

/** The mode of the claim's task while it runs; undefined once it has ended or was abandoned. */
async function runningMode(ctx: TrpcContext, taskId: string, claimedAt: Date): Promise<IngestMode | undefined> {
  const status = await readLiveStatus(ctx, taskId);
  if (status) return isTerminal(status) ? undefined : status.mode;
  // Not on the stream yet: its requester may be publishing right now, unless that was long ago.
  return Date.now() - claimedAt.getTime() < ABANDONED_CLAIM_MS ? 'initial' : undefined;
}

async function publishOrRelease(
  ctx: TrpcContext,
  taskId: string,
  ticker: Ticker,
  revision: number,
  plan: TaskPlan,
): Promise<void> {
  try {
    await publishIngestRequested(ctx, taskId, ticker, plan);
  } catch (error) {
    // No PubAck is not "not stored": the stream may have stored the request and lost its answer
    // (a leader lost after the write, a cut connection). What the stream holds decides: a stored
    // request is a running task, so the person is told it started and the claim stands.
    if (await requestStored(ctx, taskId)) return;
    // Free the ticker so that the next request can start a task instead of joining a ghost.
    await ctx.nats.inflight.delete(ticker, { previousSeq: revision }).catch(() => {});
    throw new AppError('UNAVAILABLE', 'Could not queue the ingestion: the event stream is unavailable', {
      cause: error,
    });
  }
}

/** Whether the stream holds task `taskId`'s IngestRequested; false when it cannot say either. */
const requestStored = (ctx: TrpcContext, taskId: string): Promise<boolean> =>
  readRequestedStatus(ctx.nats.jsm, taskId).then(
    (status) => status !== undefined,
    () => false,
  );
