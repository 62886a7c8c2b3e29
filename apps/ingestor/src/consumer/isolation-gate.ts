/**
 * Lets one delivery run with nothing else in its process. After a crash every task the process
 * held comes back with its lease still taken (task-lease.ts), and one of them may be what killed
 * it: a document, a filing list, a bug it alone meets. Run beside other tasks it would take them
 * down again on every delivery, until their deliveries ran out too: one request stalling everyone.
 * So each such suspect runs alone: no new pull while one waits or runs, it starts once the
 * deliveries in hand have settled, and deliveries pulled meanwhile wait until it is done. A crash
 * then costs only the suspect (and the handler ends a request whose process died under it alone).
 */
export type IsolationGate = {
  /** Resolves when the consume loop may pull: no suspect waits or runs. */
  beforePull(): Promise<void>;
  /**
   * Resolves when the delivery may run, with the function to call once it is done: an ordinary
   * one after any suspect running now, beside other ordinary ones; a suspect once nothing else is
   * in hand, holding every other delivery until it is done.
   */
  enter(kind: 'beside' | 'alone'): Promise<() => void>;
};

export function createIsolationGate(): IsolationGate {
  let inHand = 0;
  let suspects = 0;
  let aloneRunning = false;
  let waiters: Array<() => void> = [];
  const changed = () => {
    const wake = waiters;
    waiters = [];
    for (const resolve of wake) resolve();
  };
  const changedSoon = () => new Promise<void>((resolve) => waiters.push(resolve));
  const once = (leave: () => void) => {
    let left = false;
    return () => {
      if (left) return;
      left = true;
      leave();
      changed();
    };
  };
  // Each check and the claim after it happen in one synchronous step: two deliveries woken by the
  // same change cannot both see the way clear.
  return {
    beforePull: async () => {
      while (suspects > 0) await changedSoon();
    },
    enter: async (kind) => {
      if (kind === 'beside') {
        while (aloneRunning) await changedSoon();
        inHand++;
        return once(() => inHand--);
      }
      suspects++;
      while (inHand > 0 || aloneRunning) await changedSoon();
      aloneRunning = true;
      return once(() => {
        aloneRunning = false;
        suspects--;
      });
    },
  };
}
