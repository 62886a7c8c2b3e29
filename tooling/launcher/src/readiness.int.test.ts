import { createServer, type Server } from 'node:http';
import { freePort } from '@symbology/dev-services';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildTargets } from './build/build';
import { spawnChild, type Child } from './process/child';
import { startWatchdog, type Watchdog } from './process/watchdog';
import { waitUntilReady } from './readiness';

/** A real child that answers GET /readyz on `port` with `body` (JSON) once it listens. */
function readyService(watchdog: Watchdog, port: number, body: object): Child {
  const code = `require('node:http').createServer((q, s) => s.end(${JSON.stringify(JSON.stringify(body))})).listen(${port}, '127.0.0.1')`;
  return spawnChild(
    { name: 'svc', command: process.execPath, args: ['-e', code], env: {}, onLine: () => {} },
    watchdog,
  );
}

/** A child that never listens: it stands for a service still booting, or one about to die. */
function silentChild(watchdog: Watchdog, exitCode?: number): Child {
  const code =
    exitCode === undefined ? 'setInterval(() => {}, 1000)' : `console.error('EADDRINUSE'); process.exit(${exitCode})`;
  return spawnChild(
    { name: 'svc', command: process.execPath, args: ['-e', code], env: {}, onLine: () => {} },
    watchdog,
  );
}

/** Someone else on a port of its own: an instance left behind by another launcher. */
async function stranger(body: object): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => res.end(JSON.stringify(body)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

describe('readiness is checked against the process the launcher started', () => {
  let watchdog: Watchdog;
  const cleanUp: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    await buildTargets(['launcher']);
    watchdog = startWatchdog();
  });
  afterEach(async () => {
    for (const step of cleanUp.splice(0)) await step();
  });
  afterAll(() => watchdog.close());

  it('given the child answers with the instance id it was given, then it is ready', async () => {
    const port = await freePort();
    const child = readyService(watchdog, port, { ok: true, instanceId: 'ours' });
    cleanUp.push(() => child.stop());
    await expect(
      waitUntilReady(child, `http://127.0.0.1:${port}/readyz`, { instanceId: 'ours' }),
    ).resolves.toBeUndefined();
  });

  it('given another instance answers 200 on the port, then it is refused, naming both ids', async () => {
    const { server: other, port } = await stranger({ ok: true, instanceId: 'left-behind' });
    cleanUp.push(() => new Promise((resolve) => other.close(() => resolve())));
    const child = silentChild(watchdog);
    cleanUp.push(() => child.stop());
    await expect(waitUntilReady(child, `http://127.0.0.1:${port}/readyz`, { instanceId: 'ours' })).rejects.toThrow(
      /answered by another instance \(left-behind\), not the svc this launcher started \(ours\)/,
    );
  });

  it("given an answer without an instance id while our child has died, then it is not ready, with the child's last words", async () => {
    const { server: other, port } = await stranger({ ok: true });
    cleanUp.push(() => new Promise((resolve) => other.close(() => resolve())));
    const child = silentChild(watchdog, 1);
    await child.exited;
    await expect(waitUntilReady(child, `http://127.0.0.1:${port}/readyz`, { instanceId: 'ours' })).rejects.toThrow(
      /svc exited with code 1 before it was ready:\nEADDRINUSE/,
    );
  });

  it('given a service that reports no instance id, while our child runs, then it is taken as ready', async () => {
    const port = await freePort();
    const child = readyService(watchdog, port, { ok: true });
    cleanUp.push(() => child.stop());
    await expect(
      waitUntilReady(child, `http://127.0.0.1:${port}/readyz`, { instanceId: 'ours' }),
    ).resolves.toBeUndefined();
  });
});
