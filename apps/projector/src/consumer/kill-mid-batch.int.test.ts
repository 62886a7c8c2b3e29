import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { newTaskId } from '@symbology/contracts';
import { taskWithOneFailure } from '@symbology/contracts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../testing/harness';
import { publishAll } from '../testing/publish-all';

const APP_DIR = fileURLToPath(new URL('../../', import.meta.url));

describe('the projector process SIGKILLed again and again during a load', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  const spawnProjector = (): ChildProcess =>
    // node with the tsx loader (not the tsx wrapper) so that signals reach the projector itself.
    spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: APP_DIR,
      env: {
        ...process.env,
        NATS_URL: h.env.NATS_URL,
        NATS_PASSWORD: h.env.NATS_PASSWORD,
        DATABASE_URL: h.env.DATABASE_URL,
        HTTP_PORT: '0',
        LOG_LEVEL: 'error',
        PROJECTOR_BATCH_SIZE: '100',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  const exited = (child: ChildProcess) =>
    new Promise<number | null>((resolve) =>
      child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code)),
    );

  it('loses nothing and applies nothing twice: verify passes after 10,000 events and repeated kill -9', async () => {
    const events = Array.from({ length: 770 }, () => taskWithOneFailure(newTaskId())).flat();
    let published = false;
    // A modest publish window keeps the load going for several seconds.
    const publishing = publishAll(h.pub, events, 100).then(() => (published = true));
    const checkpointsAtKill: number[] = [];
    while (!published || checkpointsAtKill.length < 5) {
      const before = await h.checkpoint();
      const child = spawnProjector();
      // Kill it once it is committing, at a random point of its work: mostly mid-batch.
      const deadline = Date.now() + 15_000;
      while ((await h.checkpoint()) === before && Date.now() < deadline) await sleep(20);
      await sleep(Math.random() * 300);
      child.kill('SIGKILL');
      await exited(child);
      checkpointsAtKill.push(await h.checkpoint());
      if (published && (await h.checkpoint()) >= (await h.head())) break;
    }
    await publishing;
    console.log('checkpoints at each kill', checkpointsAtKill.join(' '));
    const last = spawnProjector();
    let stderr = '';
    last.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
    await h.waitForCheckpoint(await h.head(), 90_000);
    last.kill('SIGTERM');
    expect(await exited(last)).toBe(0);
    expect(stderr).toBe('');
    expect(await h.head()).toBe(events.length);
    // Killed at least 3 times while there was work left, and work was done between kills.
    expect(checkpointsAtKill.filter((c) => c < events.length).length).toBeGreaterThanOrEqual(3);
    expect(new Set(checkpointsAtKill).size).toBeGreaterThan(1);
    const verify = await h.cli('verify');
    expect(verify.out).toMatch(/770 tasks folded from the stream through seq 10010 .*: OK/);
    expect(verify.code).toBe(0);
  }, 150_000);
});
