import { TickerSchema } from '@symbology/contracts';
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { AppError } from '../app-error';
import { readStatus } from '../ingest/read-status';
import { requestIngest } from '../ingest/request-ingest';
import { watchStatus } from '../ingest/watch-status';
import { holdSubscriptionSlot } from '../limits/subscription-slots';
import { createTRPCRouter, publicProcedure } from '../trpc';

const TaskInput = z.object({ taskId: z.uuid() });

async function statusOrNotFound(...args: Parameters<typeof readStatus>) {
  const status = await readStatus(...args);
  if (!status) throw new AppError('NOT_FOUND', `No ingestion task ${args[1]}`);
  return status;
}

export const ingestRouter = createTRPCRouter({
  request: publicProcedure
    .input(z.object({ ticker: TickerSchema }))
    .mutation(({ ctx, input }) => requestIngest(ctx, input.ticker)),

  /** The projected status, for polling while the WebSocket is down. */
  status: publicProcedure.input(TaskInput).query(({ ctx, input }) => statusOrNotFound(ctx, input.taskId)),

  /** Live status; the event id is the status version, which tRPC sends back as lastEventId on reconnect. */
  onStatus: publicProcedure
    .input(TaskInput.extend({ lastEventId: z.string().nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      const release = holdSubscriptionSlot(ctx);
      try {
        for await (const status of watchStatus(ctx, { taskId: input.taskId, lastEventId: input.lastEventId, signal })) {
          ctx.metrics.messagesSent.inc();
          yield tracked(String(status.version), status);
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
