import { createHash } from 'node:crypto';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '@symbology/dev-services';
import { build, version as esbuildVersion, type BuildOptions } from 'esbuild';
import { externalPackages } from './external-packages';
import { sourceRelativeImportMetaUrl } from './import-meta-url';
import { staleReason, writeStamp } from './stamp';
import type { BundleTarget } from './targets';

const BUILD_CODE = fileURLToPath(new URL('.', import.meta.url));

/** The esbuild settings for one package: its code and the workspace packages it uses, in one file per entry. */
function bundleOptions(target: BundleTarget): BuildOptions & { outdir: string } {
  const dir = join(REPO_ROOT, target.dir);
  const outdir = join(dir, 'dist');
  return {
    absWorkingDir: dir,
    entryPoints: target.entries,
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Node's conditions only: esbuild would otherwise add the bundler-only `module` condition.
    conditions: ['node'],
    // Class and function names stay as written: logs and error names show them.
    keepNames: true,
    sourcemap: 'linked',
    metafile: true,
    write: false,
    logLevel: 'silent',
    plugins: [sourceRelativeImportMetaUrl(outdir), externalPackages(outdir)],
  };
}

function keyOf(options: BuildOptions): string {
  const { plugins: _plugins, ...settings } = options;
  return createHash('sha256').update(JSON.stringify({ esbuildVersion, settings })).digest('hex');
}

export async function bundleStaleReason(target: BundleTarget): Promise<string | undefined> {
  const options = bundleOptions(target);
  return staleReason(options.outdir, keyOf(options));
}

/** Bundles the target; each output file is written beside and renamed, so a reader never sees half. */
export async function bundle(target: BundleTarget): Promise<void> {
  const options = bundleOptions(target);
  const result = await build(options);
  for (const file of result.outputFiles ?? []) {
    await mkdir(dirname(file.path), { recursive: true });
    await writeFile(`${file.path}.${process.pid}`, file.contents);
    await rename(`${file.path}.${process.pid}`, file.path);
  }
  await writeStamp(options.outdir, {
    key: keyOf(options),
    // The lockfile stands for the npm packages the bundle imports by path (an install may move
    // them); this folder's files, for how bundles are made.
    inputs: [
      join(REPO_ROOT, 'pnpm-lock.yaml'),
      ...(await readdir(BUILD_CODE)).map((file) => join(BUILD_CODE, file)),
      ...Object.keys(result.metafile?.inputs ?? {}).map((input) => resolve(options.absWorkingDir ?? '', input)),
    ],
    outputs: (result.outputFiles ?? []).map((file) => file.path),
  });
}
