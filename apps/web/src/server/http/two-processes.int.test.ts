import { createSymbologyClient } from '@symbology/client';
import { newTaskId } from '@symbology/contracts';
import { happyTask, SAMPLE_FILINGS } from '@symbology/contracts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../test-support/test-system';
import { watchTask } from '../../test-support/watch';
import { spawnWeb, type WebProcess } from '../../test-support/web-process';

let system: TestSystem;
const webs: WebProcess[] = [];
const spawn = async () => {
  const web = await spawnWeb(system);
  webs.push(web);
  return web.url;
};

beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(async () => {
  await Promise.all(webs.map((w) => w.stop()));
  await system?.stop();
});

describe('two web server processes', () => {
  it('stream the same task to their own clients, each to the terminal state', async () => {
    const [a, b] = await Promise.all([spawn(), spawn()]);
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
