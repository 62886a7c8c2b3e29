import { createSymbologyClient, type SymbologyClient } from '@symbology/client';
import { newTaskId } from '@symbology/contracts';
import { taskEvents } from '@symbology/contracts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { exchange, openSocket } from '../../test-support/raw-clients';
import { startTestSystem, type TestSystem } from '../../test-support/test-system';
import { watchTask } from '../../test-support/watch';
import { spawnWeb, type WebProcess } from '../../test-support/web-process';

// One anonymous client at its worst against a web server process with the default limits. For
// each attack: the server refuses it with a clear error, a normal user's call made during it
// still succeeds, and the process's memory stays bounded (RSS printed before and after).
// The one limit raised is the call rate (TRPC_RATE_LIMIT_*): here the normal user connects from the
// attacker's address, one peer, and would share its bucket; edge-limits.int.test.ts shows a
// flooding peer refused while another is served.

/**
 * Growth allowed per attack. The largest is 10,000 refused subscriptions: +45 to +95 MB of
 * short-lived garbage in the first round, then a plateau (four rounds in a row ended at 223, 214,
 * 201, 194 MB with the heap shrinking), so it is not retained. Before the caps, three 50 MB bodies
 * alone took the process from 224 to 647 MB.
 */
const RSS_GROWTH_LIMIT_MB = 150;

let system: TestSystem;
let web: WebProcess;
let user: SymbologyClient;

beforeAll(async () => {
  system = await startTestSystem();
  web = await spawnWeb(system, { TRPC_RATE_LIMIT_BURST: '1000000' });
  user = createSymbologyClient({ url: web.url, wsUrl: web.wsUrl, clientId: 'normal-user' });
});
afterAll(async () => {
  await user?.close();
  await web?.stop();
  await system?.stop();
});

/**
 * Runs `attack` while a normal user watches a task of their own to its end over the WebSocket
 * and reads its status over HTTP; both must succeed while the attack runs.
 */
async function underAttack(name: string, attack: () => Promise<void>): Promise<void> {
  const before = await web.rssMb();
  const events = taskEvents(newTaskId(), { ticker: 'CALM' });
  const first = await system.project(events.requested());
  const watch = watchTask(user.api, first.taskId, 60_000);
  await watch.waitFor(first.version);
  const attacking = attack();
  // Settled at once (an error is a value here), so a failure is reported by the assertion below.
  const status = user.api.ingest.status.query({ taskId: first.taskId }).catch((e: unknown) => e);
  const last = await system.project(events.ingestFailed());
  await attacking;
  await expect(status).resolves.toMatchObject({ taskId: first.taskId });
  expect((await watch.done).at(-1)?.version).toBe(last.version);
  const after = await web.rssMb();
  console.log(`${name}: web RSS ${before.toFixed(0)} MB before, ${after.toFixed(0)} MB after`);
  expect(after - before).toBeLessThan(RSS_GROWTH_LIMIT_MB);
}

describe('the web edge under one hostile client', () => {
  it('three 50 MB bodies at once: 413 each, nothing buffered', async () => {
    await underAttack('3 x 50 MB bodies', async () => {
      const chunk = Buffer.alloc(64 * 1024, '[');
      const replies = await Promise.all(
        [1, 2, 3].map(() =>
          exchange(web.url, {
            method: 'POST',
            path: '/api/trpc/ingest.request',
            headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
            body: function* () {
              for (let i = 0; i < 800; i++) yield chunk;
            },
          }),
        ),
      );
      expect(replies.map((r) => r.status)).toEqual([413, 413, 413]);
    });
  });

  it('a 1,000-mutation batch: 400, no mutation runs', async () => {
    await underAttack('1,000-call batch', async () => {
      const reply = await exchange(web.url, {
        method: 'POST',
        path: `/api/trpc/${Array(1_000).fill('ingest.request').join(',')}?batch=1`,
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(
          JSON.stringify(Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [i, { ticker: `F${i}` }]))),
        ),
      });
      expect(reply.status).toBe(400);
    });
  });

  it('10,000 subscriptions on one socket: 100 held, the rest refused with LIMIT_EXCEEDED', async () => {
    const taskId = newTaskId();
    await system.project(taskEvents(taskId, { ticker: 'HOARD' }).requested());
    await underAttack('10,000 subscriptions on one socket', async () => {
      const socket = await openSocket(web.wsUrl);
      try {
        for (let id = 1; id <= 10_000; id++) socket.subscribe(id, taskId);
        const refused = await Promise.all(Array.from({ length: 9_900 }, (_, i) => socket.replyTo(101 + i, 'error')));
        expect(new Set(refused.map((r) => (r.error as { data: { appCode: string } }).data.appCode))).toEqual(
          new Set(['LIMIT_EXCEEDED']),
        );
      } finally {
        socket.close();
      }
    });
  });

  it('rotating client ids and forged X-Forwarded-For: limited as one peer', async () => {
    await underAttack('100 requests, rotating ids', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 100; i++) {
        const reply = await exchange(web.url, {
          method: 'POST',
          path: '/api/trpc/ingest.request',
          headers: {
            'content-type': 'application/json',
            'x-client-id': `bot-${i}`,
            'x-forwarded-for': `198.51.100.${i}`,
          },
          body: Buffer.from(JSON.stringify({ ticker: `R${i}` })),
        });
        statuses.push(reply.status);
      }
      // One peer's limits: no ingestor runs here, so its tasks all wait, and the first three
      // (INGEST_WAITING_PER_PEER) start; every other one is refused (the ingest burst is 5).
      expect(statuses.filter((s) => s !== 429)).toHaveLength(3);
    });
  });

  it('a DNS-rebinding upgrade: 421', async () => {
    await underAttack('DNS-rebinding upgrade', async () => {
      const host = `rebind.attacker.example:${new URL(web.url).port}`;
      const status = await new Promise<number>((resolve) => {
        const ws = new WebSocket(web.wsUrl, { headers: { host, origin: `http://${host}` } });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => resolve(101));
      });
      expect(status).toBe(421);
    });
  });
});
