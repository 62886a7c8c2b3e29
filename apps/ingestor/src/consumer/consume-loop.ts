import type { Consumer, JsMsg } from '@nats-io/jetstream';
import type { Logger } from '../logger';

export type ConsumeLoop = {
  /** Stops pulling, lets the in-flight messages finish, then resolves. */
  stop(): Promise<void>;
  readonly running: boolean;
};

export type ConsumeLoopOptions = {
  consumer: Consumer;
  /** How many messages are handled at once: one worker each, pulling one message at a time. */
  concurrency: number;
  /**
   * Never throws: the handler settles each message itself (ack, nak or term), or returns
   * `HAND_BACK` (the replica is draining) for the loop to hand it back when that is safe.
   */
  handle: (msg: JsMsg) => Promise<void | typeof HAND_BACK>;
  logger: Logger;
  /** Awaited before each pull: a delivery running alone holds the pulls back (isolation-gate.ts). */
  beforePull?: () => Promise<void>;
  /** How long one pull waits for a message; also the longest stop() waits for an idle worker. */
  pullExpiresMs?: number;
  /**
   * Called after a failed pull, before the retry: e.g. re-create the durable when someone deleted
   * it (`consumer_not_found`). One call at a time however many workers failed.
   */
  recover?: (error: unknown) => Promise<void>;
};

/** What a handler returns to have the loop hand its message back (nak without delay). */
export const HAND_BACK = 'hand-back';

/**
 * `concurrency` workers, each pulling one message and handling it before pulling the next. Pulling
 * one at a time (rather than a prefetch buffer) leaves waiting requests to other replicas and keeps
 * none sitting unacknowledged in this process while its ack_wait runs.
 */
export function startConsumeLoop(options: ConsumeLoopOptions): ConsumeLoop {
  const expires = options.pullExpiresMs ?? 2_000;
  let stopping = false;
  // Pulls waiting on the server (one cannot be withdrawn, only expire), and who waits for none.
  let openPulls = 0;
  const noPullOpen: Array<() => void> = [];
  const pullEnded = () => {
    if (--openPulls === 0) for (const resolve of noPullOpen.splice(0)) resolve();
  };
  /**
   * Hands a message back for another replica (or our restart), without delay. While stopping, only
   * once none of our own pulls is open: one of them would get it and hand it back again, a
   * delivery spent at each bounce.
   */
  const handBack = async (msg: JsMsg) => {
    if (stopping && openPulls > 0) await new Promise<void>((resolve) => noPullOpen.push(resolve));
    msg.nak();
  };
  let recovering: Promise<void> | undefined;
  const recover = (error: unknown): Promise<void> =>
    (recovering ??= (options.recover?.(error) ?? Promise.resolve())
      .catch((failed: unknown) => options.logger.warn({ err: failed }, 'recovering the consumer failed'))
      .finally(() => (recovering = undefined)));

  const worker = async (id: number): Promise<void> => {
    while (!stopping) {
      await options.beforePull?.();
      if (stopping) break;
      let msg: JsMsg | null;
      openPulls++;
      try {
        msg = await options.consumer.next({ expires }).finally(pullEnded);
      } catch (error) {
        if (stopping) break;
        options.logger.warn({ err: error, worker: id }, 'pull failed; retrying in a second');
        await recover(error);
        await new Promise((r) => setTimeout(r, 1_000));
        continue;
      }
      if (!msg) continue;
      if (stopping) {
        // Pulled as we were stopping.
        await handBack(msg);
        break;
      }
      if ((await options.handle(msg)) === HAND_BACK) await handBack(msg);
    }
  };

  const workers = Array.from({ length: options.concurrency }, (_, i) => worker(i));
  const done = Promise.all(workers).then(() => undefined);
  return {
    get running() {
      return !stopping;
    },
    stop: async () => {
      stopping = true;
      await done;
    },
  };
}
