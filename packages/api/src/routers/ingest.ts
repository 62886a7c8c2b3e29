import { TickerSchema, type TaskStatus } from '@symbology/contracts';
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { AppError } from '../app-error';
import { cancelTask } from '../ingest/cancel-task';
import { queuePosition } from '../ingest/queue-position';
import { readLiveStatus } from '../ingest/read-live-status';
import { requestIngest } from '../ingest/request-ingest';
import { retryTask } from '../ingest/retry-task';
import { statusUpdate } from '../ingest/status-wire';
import { watchStatus } from '../ingest/watch-status';
import { holdSubscriptionSlot } from '../limits/subscription-slots';
import { createTRPCRouter, publicProcedure } from '../trpc';

const TaskInput = z.object({ taskId: z.uuid() });
/** `onStatus`'s input; its WebSocket subscriptions are parsed with it too (ingest/broadcast/socket-subscriptions.ts). */
export const OnStatusInput = TaskInput.extend({ lastEventId: z.string().nullish() });

async function statusOrNotFound(...args: Parameters<typeof readLiveStatus>) {
  const status = await readLiveStatus(...args);
  if (!status) throw new AppError('NOT_FOUND', `No ingestion task ${args[1]}`);
  return status;
}

export const ingestRouter = createTRPCRouter({
  request: publicProcedure
    .input(z.object({ ticker: TickerSchema }))
    .mutation(({ ctx, input }) => requestIngest(ctx, input.ticker)),

  /** Retries what an ended task left undone (failed, partial, never attempted filings). */
  retry: publicProcedure.input(TaskInput).mutation(({ ctx, input }) => retryTask(ctx, input.taskId)),

  /** Asks a running task to stop after the filing in hand; an ended task answers CONFLICT. */
  cancel: publicProcedure.input(TaskInput).mutation(({ ctx, input }) => cancelTask(ctx, input.taskId)),

  /** The status a subscription would hold now, for polling while the WebSocket is down. */
  status: publicProcedure.input(TaskInput).query(({ ctx, input }) => statusOrNotFound(ctx, input.taskId)),

  /** How many waiting ingestions are ahead of this one; null once an ingestor has taken it up. */
  queuePosition: publicProcedure
    .input(TaskInput)
    .query(async ({ ctx, input }) => queuePosition(ctx, await statusOrNotFound(ctx, input.taskId))),

  /**
   * Live status: the whole status first, then deltas from the version sent before (apply them
   * with `applyStatusUpdate` from @symbology/contracts). The event id is the status version, which
   * tRPC sends back as lastEventId on reconnect; a resumed subscription starts with a whole status.
   * Over apps/web's WebSocket the same frames come from `StatusBroadcaster` (serialized once per
   * update for all subscribers), unless WS_STATUS_SUBSCRIPTIONS=trpc; this generator serves the
   * other transports (createCaller, and that setting).
   */
  onStatus: publicProcedure.input(OnStatusInput).subscription(async function* ({ ctx, input, signal }) {
    const release = holdSubscriptionSlot(ctx);
    try {
      let sent: TaskStatus | undefined;
      for await (const status of watchStatus(ctx, { taskId: input.taskId, lastEventId: input.lastEventId, signal })) {
        ctx.metrics.messagesSent.inc();
        const update = statusUpdate(sent, status);
        sent = status;
        yield tracked(String(status.version), update);
      }
    } finally {
      release();
    }
  }),

  /** The task's event timeline, from the stream, cached per task version. */
  events: publicProcedure.input(TaskInput).query(async ({ ctx, input }) => {
    const status = await statusOrNotFound(ctx, input.taskId);
    return ctx.timelines.read(input.taskId, status.version);
  }),
});
