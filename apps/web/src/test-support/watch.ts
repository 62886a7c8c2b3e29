import type { TaskStatus } from '@symbology/contracts';
import { watchTaskStatus, type SymbologyClient } from '@symbology/client';

export type Watch = {
  seen: TaskStatus[];
  done: Promise<TaskStatus[]>;
  stop(): void;
  waitFor(version: number): Promise<void>;
};

/** Subscribes to ingest.onStatus and records every status until the server completes it. */
export function watchTask(client: SymbologyClient['api'], taskId: string, timeoutMs = 20_000): Watch {
  const seen: TaskStatus[] = [];
  const waiters: Array<{ version: number; resolve: () => void }> = [];
  let stop = () => {};
  const done = new Promise<TaskStatus[]>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no terminal status after ${timeoutMs} ms; saw ${seen.map((s) => s.version)}`)),
      timeoutMs,
    );
    const sub = watchTaskStatus(client, taskId, {
      onStatus: (status) => {
        seen.push(status);
        for (const w of waiters.filter((w) => status.version >= w.version)) w.resolve();
      },
      onError: (error) => reject(error),
      onComplete: () => {
        clearTimeout(timer);
        resolve(seen);
      },
    });
    stop = () => {
      clearTimeout(timer);
      sub.unsubscribe();
    };
  });
  return {
    seen,
    done,
    stop: () => stop(),
    waitFor: (version) =>
      seen.some((s) => s.version >= version)
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ version, resolve })),
  };
}
