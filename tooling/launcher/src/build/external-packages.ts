import { relative } from 'node:path';
import type { Plugin } from 'esbuild';

const FROM_PLUGIN = Symbol('external-packages');

/**
 * Leaves every npm package out of the bundle, but imports each by the file Node would load when
 * running the TypeScript source: resolved from the importing file (a workspace package's own
 * node_modules under pnpm's strict layout), symlinks followed. So the compiled service loads the
 * same single copy of each module as `tsx src/main.ts` does (one @nats-io/nats-core, not two with
 * different error classes), and needs no dependency the source did not. Workspace packages
 * (@symbology/*, TypeScript source) are inlined.
 */
export function externalPackages(outdir: string): Plugin {
  return {
    name: 'external-packages',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.path.startsWith('@symbology/') || args.pluginData === FROM_PLUGIN) return undefined;
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: FROM_PLUGIN,
        });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        // Node's built-ins come back as they are; they are external anyway.
        if (resolved.external || !resolved.path.startsWith('/')) return { path: args.path, external: true };
        const fromBundle = relative(outdir, resolved.path).split('\\').join('/');
        return { path: fromBundle.startsWith('.') ? fromBundle : `./${fromBundle}`, external: true };
      });
    },
  };
}
