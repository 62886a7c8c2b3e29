import { mkdir, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT } from '@symbology/dev-services';
import { isAlive } from '../process/signal-process';

const LOCK_DIR = join(REPO_ROOT, 'node_modules/.cache/symbology-build');
const POLL_MS = 500;
/** A lock file still empty after this long lost its creator between create and write. */
const UNWRITTEN_MS = 10_000;

/** A JSON array of the holders' pids while the target is being built. */
export const buildLockPath = (target: string) => join(LOCK_DIR, `${target}.lock`);

export type BuildLock = {
  /** Names the build's own process too: the lock stays held while it runs, even if its starter died. */
  addHolder(pid: number): Promise<void>;
  release(): Promise<void>;
};

/**
 * One build of a target at a time across every process on this machine: two `next build`s of one
 * app refuse each other ("Another next build process is already running") and two esbuild runs
 * would write one dist/. The lock is a file naming its holders' pids; one whose holders are all
 * dead (a launcher killed mid-build, and its build gone with it) is taken over. A waiter re-checks
 * staleness once it holds the lock: the build it waited for usually leaves nothing to do.
 */
export async function acquireBuildLock(
  target: string,
  options: { onWait?: (holders: number[]) => void; signal?: AbortSignal } = {},
): Promise<BuildLock> {
  await mkdir(LOCK_DIR, { recursive: true });
  const path = buildLockPath(target);
  const holders = [process.pid];
  let told = false;
  for (;;) {
    options.signal?.throwIfAborted();
    const file = await open(path, 'wx').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return undefined;
      throw error;
    });
    if (file) {
      await file.writeFile(JSON.stringify(holders));
      await file.close();
      break;
    }
    const current = await readHolders(path);
    if (current ? !current.some(isAlive) : await olderThan(path, UNWRITTEN_MS)) {
      // Every holder is gone: no build runs. Whoever removes it first retries the create with the rest.
      await rm(path, { force: true });
      continue;
    }
    if (!told && current) options.onWait?.(current);
    told = true;
    await sleep(POLL_MS, undefined, options.signal ? { signal: options.signal } : {});
  }
  let written = Promise.resolve();
  return {
    addHolder: (pid) => {
      holders.push(pid);
      written = written.then(() => writeFile(path, JSON.stringify(holders)));
      return written;
    },
    // After any write in progress: a write landing after the removal would leave a lock behind.
    release: async () => {
      await written.catch(() => {});
      await rm(path, { force: true });
    },
  };
}

/** The pids in a lock file; undefined while its creator has not written them yet (or they are unreadable). */
async function readHolders(path: string): Promise<number[] | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  try {
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    return Array.isArray(parsed) && parsed.every((p) => Number.isInteger(p)) ? (parsed as number[]) : undefined;
  } catch {
    return undefined;
  }
}

async function olderThan(path: string, ms: number): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return info !== undefined && Date.now() - info.mtimeMs > ms;
}
