import { createStepEvent, type Ticker } from '@symbology/contracts';
import { publishEvent } from '@symbology/service';
import type { TrpcContext } from '../context';

/** Publishes the IngestRequested that starts task `taskId`; the stream acknowledges it durably. */
export async function publishIngestRequested(
  ctx: Pick<TrpcContext, 'nats' | 'clientId'>,
  taskId: string,
  ticker: Ticker,
): Promise<void> {
  const now = new Date();
  const event = createStepEvent(
    { taskId, correlationId: taskId, causationId: null, now: () => now },
    { type: 'IngestRequested', data: { ticker, requestedBy: ctx.clientId, requestedAt: now.toISOString() } },
  );
  await publishEvent(ctx.nats.js, event);
}
