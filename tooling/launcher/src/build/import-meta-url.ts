import { readFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import type { Plugin } from 'esbuild';

/**
 * Inlined workspace code finds files next to its source with `new URL('../drizzle', import.meta.url)`
 * (migrations, the Next.js app folder, the EDGAR fixtures, the repo root). In a bundle,
 * import.meta.url is the bundle's own URL, so each such file would look in the wrong place. This
 * rewrites import.meta.url in workspace sources to the URL their source file has, expressed
 * relative to the bundle, so paths keep meaning what they meant in the source tree.
 */
export function sourceRelativeImportMetaUrl(outdir: string): Plugin {
  return {
    name: 'source-relative-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?tsx?$/ }, async (args) => {
        if (args.path.includes('/node_modules/')) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const fromBundle = relative(outdir, args.path).split('\\').join('/');
        const url = `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`;
        return {
          contents: source.replaceAll('import.meta.url', url),
          loader: args.path.endsWith('x') ? 'tsx' : 'ts',
          resolveDir: dirname(args.path),
        };
      });
    },
  };
}
