import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createSymbologyClient } from '@symbology/client';
import { newTaskId } from '@symbology/contracts';
import { happyTask, SAMPLE_FILINGS } from '@symbology/contracts/testing';
import { freePort } from '@symbology/dev-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../test-support/test-system';
import { watchTask } from '../../test-support/watch';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const WEB_DIR = fileURLToPath(new URL('../../../', import.meta.url));

let system: TestSystem;
const children: ChildProcess[] = [];

/** A web server as its own OS process, the way `pnpm start` runs it (API and WebSocket only). */
async function spawnWeb(): Promise<string> {
  const port = await freePort();
  const env = system.env();
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: WEB_DIR,
    env: {
      ...process.env,
      NATS_URL: env.NATS_URL,
      NATS_PASSWORD: env.NATS_PASSWORD,
      DATABASE_URL: env.DATABASE_URL,
      PORT: String(port),
      WEB_NEXT_MODE: 'off',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (
      await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return url;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`web process on ${port} not ready`);
}

beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(async () => {
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
  await system?.stop();
});

describe('two web server processes', () => {
  it('stream the same task to their own clients, each to the terminal state', async () => {
    const [a, b] = await Promise.all([spawnWeb(), spawnWeb()]);
    const [requested, ...rest] = happyTask(newTaskId(), SAMPLE_FILINGS.slice(0, 2));
    const first = await system.project(requested!);
    const clients = [a!, b!].map((url) =>
      createSymbologyClient({ url, wsUrl: `${url.replace('http', 'ws')}/api/trpc-ws`, clientId: 'test-client' }),
    );
    try {
      const watches = clients.map((c) => watchTask(c.api, first.taskId));
      await Promise.all(watches.map((w) => w.waitFor(first.version)));
      const published = [first.version];
      for (const event of rest) published.push((await system.project(event)).version);
      const results = await Promise.all(watches.map((w) => w.done));
      // A subscriber may skip superseded versions (latest-value mailbox); it may not reorder,
      // invent a version, or miss the first snapshot or the terminal state.
      for (const seen of results) {
        const versions = seen.map((s) => s.version);
        expect(versions[0]).toBe(published[0]);
        expect(versions.at(-1)).toBe(published.at(-1));
        expect(versions.every((v, i) => i === 0 || v > versions[i - 1]!)).toBe(true);
        expect(versions.filter((v) => !published.includes(v))).toEqual([]);
      }
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });
});
