import { bundle, bundleStaleReason } from './bundle';
import { nextBuild, nextStaleReason } from './next-build';
import { TARGETS, type BuildTarget, type TargetName } from './targets';

export type BuildReport = { name: TargetName; built: boolean; reason?: string; seconds: number };
export type BuildOptions = {
  force?: boolean;
  /** A stale target is about to be built, and why. */
  onStart?: (target: TargetName, reason: string) => void;
  onLine?: (target: TargetName, line: string) => void;
  /** Stops a `next build` in progress. */
  signal?: AbortSignal;
};

function staleReason(target: BuildTarget): Promise<string | undefined> {
  return target.kind === 'bundle' ? bundleStaleReason(target) : nextStaleReason(target);
}

/** Builds each named target that is missing or older than its sources (all of them with `force`), side by side. */
export function buildTargets(names: readonly TargetName[], options: BuildOptions = {}): Promise<BuildReport[]> {
  return Promise.all(
    names.map(async (name): Promise<BuildReport> => {
      const target: BuildTarget = TARGETS[name];
      const started = performance.now();
      const reason = options.force ? 'forced' : await staleReason(target);
      if (reason !== undefined) {
        options.onStart?.(name, reason);
        if (target.kind === 'bundle') await bundle(target);
        else await nextBuild(target, (line) => options.onLine?.(name, line), options.signal);
      }
      const seconds = (performance.now() - started) / 1000;
      return { name, built: reason !== undefined, ...(reason === undefined ? {} : { reason }), seconds };
    }),
  );
}
