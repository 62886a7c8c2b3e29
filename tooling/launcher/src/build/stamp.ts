import { existsSync, statSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * What a build read, kept beside its output: the build is stale when its settings changed, an
 * output is missing, or any file it read is newer than the stamp. Reading the inputs esbuild
 * reported (not a guessed folder list) catches a change in any inlined workspace package.
 */
const StampSchema = z.object({ key: z.string(), inputs: z.array(z.string()), outputs: z.array(z.string()) });
export type Stamp = z.infer<typeof StampSchema>;

const STAMP = '.build-stamp.json';

export async function readStamp(outdir: string): Promise<Stamp | undefined> {
  const text = await readFile(join(outdir, STAMP), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const parsed = StampSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : undefined;
}

export async function writeStamp(outdir: string, stamp: Stamp): Promise<void> {
  const file = join(outdir, STAMP);
  await writeFile(`${file}.${process.pid}`, JSON.stringify(stamp));
  await rename(`${file}.${process.pid}`, file);
}

/** Why the output in `outdir` must be rebuilt, or undefined when it is up to date. */
export async function staleReason(outdir: string, key: string): Promise<string | undefined> {
  const stamp = await readStamp(outdir);
  if (!stamp) return 'never built';
  if (stamp.key !== key) return 'build settings changed';
  const missing = stamp.outputs.find((file) => !existsSync(file));
  if (missing) return `${missing} is missing`;
  const builtAt = statSync(join(outdir, STAMP)).mtimeMs;
  const changed = stamp.inputs.find((file) => !existsSync(file) || statSync(file).mtimeMs > builtAt);
  return changed ? `${changed} changed` : undefined;
}
