import { createStepEvent, isTerminal } from '@symbology/contracts';
import { publishEvent } from '@symbology/service';
import { AppError } from '../app-error';
import type { TrpcContext } from '../context';
import { admitIngestRequest } from './admission';
import { readLiveStatus } from './read-live-status';

export type CancelResult = { status: 'cancel_requested'; taskId: string };

/**
 * Asks the ingestor to stop task `taskId` after the filing in hand: publishes IngestCancelRequested
 * (one per task: its id is deterministic, so asking twice stores it once). The task then ends
 * `cancelled`, keeping what it stored. Anyone following a task may cancel it (its id is shared by
 * everyone who asked for the ticker), so cancels count against the peer's ingestion rate limit:
 * one client cannot stop every ingestion in flight.
 */
export async function cancelTask(ctx: TrpcContext, taskId: string): Promise<CancelResult> {
  admitIngestRequest(ctx);
  const status = await readLiveStatus(ctx, taskId);
  if (!status) throw new AppError('NOT_FOUND', `No ingestion task ${taskId}`);
  if (isTerminal(status)) {
    throw new AppError(
      'CONFLICT',
      `Task ${taskId} has already ended (${status.status.replaceAll('_', ' ')}): nothing to cancel`,
    );
  }
  const now = new Date();
  const event = createStepEvent(
    { taskId, correlationId: taskId, causationId: null, now: () => now },
    { type: 'IngestCancelRequested', data: { requestedBy: ctx.clientId, requestedAt: now.toISOString() } },
  );
  try {
    await publishEvent(ctx.nats.js, event);
  } catch (error) {
    throw new AppError('UNAVAILABLE', 'Could not ask the task to stop: the event stream is unavailable', {
      cause: error,
    });
  }
  ctx.logger.info({ taskId, correlationId: taskId }, 'cancellation requested');
  return { status: 'cancel_requested', taskId };
}
