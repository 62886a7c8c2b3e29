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
  /** Never throws: the handler settles each message itself (ack, nak or term). */
  handle: (msg: JsMsg) => Promise<void>;
  logger: Logger;
  /** How long one pull waits for a message; also the longest stop() waits for an idle worker. */
  pullExpiresMs?: number;
  /**
   * Called after a failed pull, before the retry: e.g. re-create the durable when someone deleted
   * it (`consumer_not_found`). One call at a time however many workers failed.
   */
  recover?: (error: unknown) => Promise<void>;
};

/**
 * `concurrency` workers, each pulling one message and handling it before pulling the next. Pulling
 * one at a time (rather than a prefetch buffer) leaves waiting requests to other replicas and keeps
 * none sitting unacknowledged in this process while its ack_wait runs.
 */
export function startConsumeLoop(options: ConsumeLoopOptions): ConsumeLoop {
  const expires = options.pullExpiresMs ?? 2_000;
  let stopping = false;
  let recovering: Promise<void> | undefined;
  const recover = (error: unknown): Promise<void> =>
    (recovering ??= (options.recover?.(error) ?? Promise.resolve())
      .catch((failed: unknown) => options.logger.warn({ err: failed }, 'recovering the consumer failed'))
      .finally(() => (recovering = undefined)));

  const worker = async (id: number): Promise<void> => {
    while (!stopping) {
      let msg: JsMsg | null;
      try {
        msg = await options.consumer.next({ expires });
      } catch (error) {
        if (stopping) break;
        options.logger.warn({ err: error, worker: id }, 'pull failed; retrying in a second');
        await recover(error);
        await new Promise((r) => setTimeout(r, 1_000));
        continue;
      }
      if (!msg) continue;
      if (stopping) {
        // Pulled as we were stopping: hand it straight back for another replica (or our restart).
        msg.nak();
        break;
      }
      await options.handle(msg);
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
