import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRunningInstance } from '@symbology/service/instance-state';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  assertNotRunning,
  readInstanceState,
  stateFilePath,
  writeInstanceState,
  type InstanceState,
} from './state-file';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'symbology-state-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const state = (pid: number): InstanceState => ({
  pid,
  startedAt: '2026-11-29T18:03:17.276Z',
  webUrl: 'http://127.0.0.1:3000',
  wsUrl: 'ws://127.0.0.1:3000/api/trpc-ws',
  natsUrl: 'nats://127.0.0.1:4333',
  services: { web: { url: 'http://127.0.0.1:3000', pid, instanceId: 'w' } },
  subscriber: { user: 'subscriber', pass: 'secret' },
});

describe('the state file', () => {
  it('is readable by its owner only, since it holds the subscriber credentials', async () => {
    await writeInstanceState(dir, state(process.pid));
    expect((await stat(stateFilePath(dir))).mode & 0o777).toBe(0o600);
    expect((await readInstanceState(dir))?.subscriber).toEqual({ user: 'subscriber', pass: 'secret' });
  });

  it('names a running instance only while its launcher lives', async () => {
    await writeInstanceState(dir, state(process.pid));
    expect((await findRunningInstance(dir))?.pid).toBe(process.pid);
    await writeInstanceState(dir, state(2 ** 22 + 1)); // above pid_max: never alive
    await expect(findRunningInstance(dir)).resolves.toBeUndefined();
    await expect(assertNotRunning(dir)).resolves.toBeUndefined();
  });

  it('still reads a file written before the credentials were added', async () => {
    const { subscriber: _, ...old } = state(process.pid);
    await writeFile(stateFilePath(dir), JSON.stringify(old));
    expect((await readInstanceState(dir))?.webUrl).toBe('http://127.0.0.1:3000');
  });
});
