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
// Spelled in pieces: this file is bundled with the launcher, and the literal text would be rewritten too.
const IMPORT_META_URL = ['import', 'meta', 'url'].join('.');

export function sourceRelativeImportMetaUrl(outdir: string): Plugin {
  return {
    name: 'source-relative-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?tsx?$/ }, async (args) => {
        if (args.path.includes('/node_modules/')) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!source.includes(IMPORT_META_URL)) return undefined;
        const fromBundle = relative(outdir, args.path).split('\\').join('/');
        const url = `new URL(${JSON.stringify(fromBundle)}, ${IMPORT_META_URL}).href`;
        return {
          // Every occurrence, in strings and comments too: keep the text out of string literals.
          contents: source.replaceAll(IMPORT_META_URL, url),
          loader: args.path.endsWith('x') ? 'tsx' : 'ts',
          resolveDir: dirname(args.path),
        };
      });
    },
  };
}
