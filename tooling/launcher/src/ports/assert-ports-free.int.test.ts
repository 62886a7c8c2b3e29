import { createServer, type Server } from 'node:net';
import { freePort } from '@symbology/dev-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertPortsFree, PortsTakenError } from './assert-ports-free';
import { portHolder } from './port-holder';

describe('the port check before a start', () => {
  let held: Server;
  let heldPort: number;
  beforeAll(async () => {
    held = createServer();
    await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', resolve));
    heldPort = (held.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => held.close(() => resolve())));

  it('given a port someone listens on, when checked, then it names the port, what needed it, the holder and the variable', async () => {
    const free = await freePort();
    const check = assertPortsFree([
      { port: free, what: 'projector', variable: 'SYMBOLOGY_PROJECTOR_PORT' },
      { port: heldPort, what: 'web', variable: 'SYMBOLOGY_WEB_PORT' },
    ]);
    await expect(check).rejects.toThrow(PortsTakenError);
    const message = await check.catch((error: Error) => error.message);
    expect(message).toMatch(
      new RegExp(`^port ${heldPort} \\(web\\) is taken by pid ${process.pid} \\(.*node.*\\); .* SYMBOLOGY_WEB_PORT$`),
    );
    expect(message).not.toContain(String(free));
  });

  it('given free ports, when checked, then the start may go on', async () => {
    await expect(assertPortsFree([{ port: await freePort(), what: 'web', variable: 'X' }])).resolves.toBeUndefined();
  });

  it('given a port nobody listens on, when its holder is looked up, then there is none', async () => {
    expect(await portHolder(await freePort())).toBeUndefined();
    expect(await portHolder(heldPort)).toMatchObject({ pid: process.pid });
  });
});
