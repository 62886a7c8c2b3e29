import { isTerminal, type TaskStatus } from '@symbology/contracts';
import { AppError } from '../app-error';
import type { TrpcContext } from '../context';
import { readStatus } from './read-status';

export type WatchOptions = { taskId: string; lastEventId: string | null | undefined; signal: AbortSignal | undefined };

/**
 * The live status of one task, each version newer than the last one sent, ending with the
 * terminal state. It listens on the fan-out BEFORE reading the snapshot: a status announced
 * between the two is then in the mailbox rather than lost. `lastEventId` (the version the client
 * last saw, sent back by tRPC on reconnect) suppresses anything it already has.
 */
export async function* watchStatus(ctx: TrpcContext, opts: WatchOptions): AsyncGenerator<TaskStatus, void> {
  const { fanout } = ctx.nats;
  const mailbox = fanout.listen(opts.taskId);
  const stop = () => mailbox.close();
  opts.signal?.addEventListener('abort', stop, { once: true });
  ctx.metrics.subscriptions.inc();
  try {
    let current = await readStatus(ctx, opts.taskId);
    if (!current) throw new AppError('NOT_FOUND', `No ingestion task ${opts.taskId}`);
    let sent = parseVersion(opts.lastEventId);
    while (!mailbox.isClosed) {
      if (current && current.version > sent) {
        sent = current.version;
        yield current;
      }
      if (current && isTerminal(current) && current.version <= sent) return;
      // A periodic re-read covers a status message lost in core NATS (at-most-once delivery).
      current =
        (await mailbox.next(ctx.config.STATUS_RESYNC_MS)) ??
        (mailbox.isClosed ? undefined : await readStatus(ctx, opts.taskId));
    }
  } finally {
    opts.signal?.removeEventListener('abort', stop);
    fanout.unlisten(opts.taskId, mailbox);
    ctx.metrics.subscriptions.dec();
  }
}

function parseVersion(lastEventId: string | null | undefined): number {
  const n = Number(lastEventId);
  return lastEventId && Number.isSafeInteger(n) && n >= 0 ? n : -1;
}
