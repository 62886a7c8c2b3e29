import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from '@symbology/dev-services';
import type { NextTarget } from './targets';

/** Source a page can import: the app itself and every workspace package. Tests do not count. */
async function sourceFiles(appDir: string): Promise<string[]> {
  const packages = await readdir(join(REPO_ROOT, 'packages'));
  const roots = [
    join(appDir, 'src'),
    join(appDir, 'public'),
    ...packages.map((p) => join(REPO_ROOT, 'packages', p, 'src')),
  ];
  const files = ['next.config.ts', 'package.json'].map((f) => join(appDir, f));
  for (const root of roots.filter((r) => existsSync(r))) {
    for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
      const path = join(entry.parentPath, entry.name);
      if (entry.isFile() && !/\.test\.tsx?$|\/(e2e|test-support)\//.test(path)) files.push(path);
    }
  }
  return files;
}

/** Why `next build` must run again, or undefined when .next is newer than every source file. */
export async function nextStaleReason(target: NextTarget): Promise<string | undefined> {
  const appDir = join(REPO_ROOT, target.dir);
  const buildId = join(appDir, '.next/BUILD_ID');
  if (!existsSync(buildId)) return 'never built';
  const builtAt = statSync(buildId).mtimeMs;
  const changed = (await sourceFiles(appDir)).find((f) => existsSync(f) && statSync(f).mtimeMs > builtAt);
  return changed ? `${changed} changed` : undefined;
}

/**
 * Runs `next build` in the app folder; its output goes line by line to `onLine`. `onSpawn` gets
 * its pid (the build lock names it: it outlives a starter killed with SIGKILL).
 */
export function nextBuild(
  target: NextTarget,
  onLine: (line: string) => void,
  signal?: AbortSignal,
  onSpawn?: (pid: number) => void,
): Promise<void> {
  const appDir = join(REPO_ROOT, target.dir);
  const child = spawn(process.execPath, [join(appDir, 'node_modules/next/dist/bin/next'), 'build'], {
    cwd: appDir,
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(signal ? { signal } : {}),
  });
  if (child.pid !== undefined) onSpawn?.(child.pid);
  const tail: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      tail.push(line);
      if (tail.length > 30) tail.shift();
      onLine(line);
    });
  }
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`next build failed with exit code ${code}:\n${tail.join('\n')}`)),
    );
  });
}
