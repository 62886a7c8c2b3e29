import { isTerminal, type TaskStatus } from '@symbology/contracts';
import { backoffDelay } from '@symbology/service';
import { AppError } from '../app-error';
import type { TrpcContext } from '../context';
import type { LatestQueue } from './latest-queue';
import { newer, readLiveStatus } from './read-live-status';
import { supersedes } from './status-replacement';

export type WatchOptions = { taskId: string; lastEventId: string | null | undefined; signal: AbortSignal | undefined };

/** 0.25 s, 0.5 s ... 5 s between attempts while reads fail (the database restarting, a network blip). */
export const READ_RETRY = { baseMs: 250, maxMs: 5_000, jitter: 'equal' } as const;

/**
 * The live status of one task, each version newer than the last one sent (or a replacement of
 * it), ending with the terminal state. It listens on the fan-out BEFORE reading the snapshot: a status announced
 * between the two is then in the mailbox rather than lost. `lastEventId` (the version the client
 * last saw, sent back by tRPC on reconnect) suppresses anything it already has.
 *
 * A failed read does not end the subscription: it is retried with backoff while the mailbox
 * keeps receiving pushes (a database restart must not freeze the browser).
 */
export async function* watchStatus(ctx: TrpcContext, opts: WatchOptions): AsyncGenerator<TaskStatus, void> {
  const { fanout } = ctx.nats;
  const mailbox = fanout.listen(opts.taskId);
  const stop = () => mailbox.close();
  opts.signal?.addEventListener('abort', stop, { once: true });
  ctx.metrics.subscriptions.inc();
  try {
    let current = await firstRead(ctx, opts.taskId, mailbox);
    if (!current && !mailbox.isClosed) throw new AppError('NOT_FOUND', `No ingestion task ${opts.taskId}`);
    let sent = parseVersion(opts.lastEventId);
    let sentStatus: TaskStatus | undefined;
    let failures = 0;
    while (!mailbox.isClosed) {
      // A replacement of the version sent goes too (status-replacement), once.
      if (current && supersedes(current, sent, sentStatus)) {
        sent = current.version;
        sentStatus = current;
        yield current;
        if (isTerminal(current)) return;
      }
      if (current && isTerminal(current) && current.version <= sent) return;
      // A failed read is retried sooner than the periodic resync (which covers a status message
      // lost in core NATS: at-most-once delivery).
      const waitMs = failures > 0 ? backoffDelay(failures, READ_RETRY) : ctx.config.STATUS_RESYNC_MS;
      const take = await mailbox.next(waitMs);
      current = take.status;
      if (!take.reread) continue;
      try {
        current = newer(current, await readLiveStatus(ctx, opts.taskId));
        failures = 0;
      } catch (error) {
        failures++;
        onReadError(ctx, opts.taskId, error, failures);
      }
    }
  } finally {
    opts.signal?.removeEventListener('abort', stop);
    fanout.unlisten(opts.taskId, mailbox);
    ctx.metrics.subscriptions.dec();
  }
}

/** The snapshot, retried until it reads (or the subscriber leaves); a push meanwhile is kept. */
async function firstRead(ctx: TrpcContext, taskId: string, mailbox: LatestQueue): Promise<TaskStatus | undefined> {
  for (let failures = 0; ;) {
    try {
      return await readLiveStatus(ctx, taskId);
    } catch (error) {
      failures++;
      onReadError(ctx, taskId, error, failures);
      const take = await mailbox.next(backoffDelay(failures, READ_RETRY));
      if (mailbox.isClosed) return undefined;
      if (take.status) return take.status;
    }
  }
}

export function onReadError(
  ctx: Pick<TrpcContext, 'metrics' | 'logger'>,
  taskId: string,
  error: unknown,
  failures: number,
): void {
  ctx.metrics.statusReadRetries.inc();
  ctx.logger.warn({ err: error, taskId, failures }, 'reading a task status failed: retrying inside the subscription');
}

/** The version a client last saw, from tRPC's lastEventId; -1 for none (or nonsense). */
export function parseVersion(lastEventId: string | null | undefined): number {
  const n = Number(lastEventId);
  return lastEventId && Number.isSafeInteger(n) && n >= 0 ? n : -1;
}
