import { startWorker } from '@symbology/service';
import { RebuildWorkerError } from '../errors';
import type { FoldLane } from './fold-lane';
import { packEntries } from './pack-entries';
import type { LaneRequest } from './rebuild-worker';

/** The worker's module: dist/rebuild-worker.js beside the built projector, else the source. */
const REBUILD_WORKER = {
  bundle: 'rebuild-worker.js',
  source: new URL('./rebuild-worker.ts', import.meta.url),
  caller: import.meta.filename,
};

/**
 * A fold lane in a worker thread. A thread that throws, fails to load or exits fails every
 * request waiting on it and every later one, with the reason: the rebuild stops, it never hangs.
 */
export function workerLane(index: number): FoldLane {
  const thread = startWorker(REBUILD_WORKER);
  const waiting: { resolve: (answer: unknown) => void; reject: (error: Error) => void }[] = [];
  let failure: RebuildWorkerError | undefined;
  const fail = (reason: string, cause?: unknown) => {
    failure ??= new RebuildWorkerError(`rebuild worker ${index} ${reason}`, { cause });
    for (const w of waiting.splice(0)) w.reject(failure);
  };
  thread.on('message', (answer: unknown) => waiting.shift()?.resolve(answer));
  thread.on('error', (error) => fail(`failed: ${error.message}`, error));
  thread.on('messageerror', (error) => fail(`sent an unreadable message: ${error.message}`, error));
  thread.on('exit', (code) => fail(`exited (code ${code})`));

  const request = <T>(message: LaneRequest, transfer: ArrayBuffer[] = []) =>
    new Promise<T>((resolve, reject) => {
      if (failure) return reject(failure);
      waiting.push({ resolve: resolve as (answer: unknown) => void, reject });
      thread.postMessage(message, transfer);
    });
  return {
    thread,
    init: (init) => request({ kind: 'init', init }),
    apply: (entries) => {
      const packed = packEntries(entries);
      return request({ kind: 'apply', packed }, [packed.buffer]);
    },
    flush: () => request({ kind: 'flush' }),
    statuses: () => request({ kind: 'statuses' }),
    close: async () => {
      await thread.terminate();
    },
  };
}
