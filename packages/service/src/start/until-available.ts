import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay, type BackoffOptions } from '../backoff/backoff-delay';
import { isBackendUnavailable } from '../errors/unavailable';

/** 250 ms, 500 ms ... 5 s between the attempts. */
const START_RETRY: BackoffOptions = { baseMs: 250, maxMs: 5_000 };

/**
 * Runs a service's start-up step (its checks of the stream, the tables, the checkpoint) until it
 * passes, waiting out a backend that cannot answer yet: a Postgres restart, a NATS node lost while
 * its streams elect a leader, a cluster without quorum. A service restarted in the middle of such
 * a fault (a crash loop under a supervisor) then starts once the fault passes, instead of exiting
 * again and again with a bare timeout. Anything else (a refusal: a missing stream or table) is
 * thrown at once. `onWait` is told each failure and the wait before the next attempt, to log it.
 */
export async function untilAvailable<T>(
  step: () => Promise<T>,
  onWait: (error: unknown, attempt: number, delayMs: number) => void,
  options: { signal?: AbortSignal } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (!isBackendUnavailable(error) || options.signal?.aborted) throw error;
      const delayMs = backoffDelay(attempt, START_RETRY);
      onWait(error, attempt, delayMs);
      await sleep(delayMs, undefined, { signal: options.signal }).catch(() => {});
    }
  }
}
