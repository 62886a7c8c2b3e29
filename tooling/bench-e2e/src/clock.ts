/**
 * Milliseconds since the epoch, with sub-millisecond resolution. Every process of the bench stamps
 * with this one clock: `performance.timeOrigin` is read from the wall clock when the process
 * starts and `performance.now()` is monotonic after that, so stamps taken in different processes
 * on the same machine compare to well under a millisecond.
 */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
