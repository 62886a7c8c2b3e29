import { acquireBuildLock } from './build-lock';
import { bundle, bundleStaleReason } from './bundle';
import { nextBuild, nextStaleReason } from './next-build';
import { TARGETS, type BuildTarget, type TargetName } from './targets';

export type BuildReport = { name: TargetName; built: boolean; reason?: string; seconds: number };
export type BuildOptions = {
  force?: boolean;
  /** A stale target is about to be built, and why. */
  onStart?: (target: TargetName, reason: string) => void;
  onLine?: (target: TargetName, line: string) => void;
  /** Another process is building the target (pids of the launcher and its build): this one waits for it. */
  onWait?: (target: TargetName, holders: number[]) => void;
  /** Stops a `next build` in progress. */
  signal?: AbortSignal;
};

function staleReason(target: BuildTarget): Promise<string | undefined> {
  return target.kind === 'bundle' ? bundleStaleReason(target) : nextStaleReason(target);
}

/**
 * Builds each named target that is missing or older than its sources (all of them with `force`),
 * side by side; a target another process is building is waited for, then built only if still stale.
 */
export function buildTargets(names: readonly TargetName[], options: BuildOptions = {}): Promise<BuildReport[]> {
  return Promise.all(
    names.map(async (name): Promise<BuildReport> => {
      const target: BuildTarget = TARGETS[name];
      const started = performance.now();
      let reason = options.force ? 'forced' : await staleReason(target);
      if (reason !== undefined) {
        const lock = await acquireBuildLock(name, {
          onWait: (holders) => options.onWait?.(name, holders),
          ...(options.signal ? { signal: options.signal } : {}),
        });
        try {
          // Another process may have built it while this one waited.
          if (!options.force) reason = await staleReason(target);
          if (reason !== undefined) {
            options.onStart?.(name, reason);
            if (target.kind === 'bundle') await bundle(target);
            else
              await nextBuild(
                target,
                (line) => options.onLine?.(name, line),
                options.signal,
                (pid) => {
                  lock.addHolder(pid).catch(() => {});
                },
              );
          }
        } finally {
          await lock.release();
        }
      }
      const seconds = (performance.now() - started) / 1000;
      return { name, built: reason !== undefined, ...(reason === undefined ? {} : { reason }), seconds };
    }),
  );
}
