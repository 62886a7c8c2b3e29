import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireBuildLock, buildLockPath } from './build-lock';

const target = (what: string) => `test-${what}-${process.pid}-${Date.now()}`;

/** A process that is alive until killed, and one already gone (its pid is free). */
function liveProcess() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1_000)'], { stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  return { pid: child.pid!, kill: async () => (child.kill('SIGKILL'), await exited) };
}
async function deadPid(): Promise<number> {
  const gone = liveProcess();
  await gone.kill();
  return gone.pid;
}
/** The lock as another process left it. */
async function lockHeldBy(name: string, pids: number[]): Promise<void> {
  await mkdir(dirname(buildLockPath(name)), { recursive: true });
  await writeFile(buildLockPath(name), JSON.stringify(pids));
}

describe('the build lock: one build of a target at a time, across processes', () => {
  it('makes a second builder wait until the first releases', async () => {
    const name = target('wait');
    const first = await acquireBuildLock(name);
    const waited: number[][] = [];
    let secondHolds = false;
    const second = acquireBuildLock(name, { onWait: (holders) => waited.push(holders) }).then((lock) => {
      secondHolds = true;
      return lock;
    });
    await expect.poll(() => waited).toEqual([[process.pid]]);
    expect(secondHolds).toBe(false);
    await first.release();
    await (await second).release();
  });

  it('stays held while the build it names runs, though the launcher that started it was killed', async () => {
    const name = target('orphan');
    const build = liveProcess();
    await lockHeldBy(name, [await deadPid(), build.pid]);
    const waited: number[][] = [];
    const next = acquireBuildLock(name, { onWait: (holders) => waited.push(holders) });
    await expect.poll(() => waited.length).toBe(1);
    await build.kill();
    await (await next).release();
  });

  it('is taken over once every holder is gone', async () => {
    const name = target('stale');
    await lockHeldBy(name, [await deadPid(), await deadPid()]);
    const waited: number[][] = [];
    await (await acquireBuildLock(name, { onWait: (holders) => waited.push(holders) })).release();
    expect(waited).toEqual([]);
  });
});
