/**
 * What `pnpm build` produces. A bundle is one esbuild run over a package's entry points into its
 * `dist/`; `web` is Next.js's own `next build` into apps/web/.next.
 */
export type BundleTarget = {
  kind: 'bundle';
  /** The package folder, relative to the repo root. */
  dir: string;
  /** Output name (dist/<name>.js) -> entry point, relative to the package folder. */
  entries: Record<string, string>;
};
export type NextTarget = { kind: 'next'; dir: string };
export type BuildTarget = BundleTarget | NextTarget;

export const TARGETS = {
  ingestor: {
    kind: 'bundle',
    dir: 'apps/ingestor',
    // The worker threads (cutting sections, reading companyfacts) load their own bundle beside main.js
    // (workerEntry in packages/service).
    entries: { main: 'src/main.ts', 'worker-jobs': 'src/edgar/workers/worker-jobs.ts' },
  },
  projector: {
    kind: 'bundle',
    dir: 'apps/projector',
    // A rebuild's fold worker threads load their own bundle beside cli.js / main.js (worker-lane.ts).
    entries: { main: 'src/main.ts', cli: 'src/cli/bin.ts', 'rebuild-worker': 'src/rebuild/rebuild-worker.ts' },
  },
  'web-server': { kind: 'bundle', dir: 'apps/web', entries: { server: 'src/server/main.ts' } },
  web: { kind: 'next', dir: 'apps/web' },
  cli: { kind: 'bundle', dir: 'packages/client', entries: { cli: 'src/cli/run.ts' } },
  launcher: {
    kind: 'bundle',
    dir: 'tooling/launcher',
    entries: { main: 'src/main.ts', watchdog: 'src/watchdog/main.ts' },
  },
} satisfies Record<string, BuildTarget>;

export type TargetName = keyof typeof TARGETS;
export const TARGET_NAMES = Object.keys(TARGETS) as TargetName[];

export function isTargetName(name: string): name is TargetName {
  return Object.hasOwn(TARGETS, name);
}
