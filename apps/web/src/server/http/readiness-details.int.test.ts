import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../test-support/test-system';
import { startWebServer, type RunningWebServer } from '../index';

type Readiness = { ready: boolean; instanceId: string; checks: Record<string, { ok: boolean; detail?: string }> };

/** An address of this machine that is not loopback, so a request to it has a non-loopback peer. */
const external = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && !a.internal && a.family === 'IPv4')?.address;

let system: TestSystem;
let web: RunningWebServer;
const port = () => new URL(web.url).port;
const readyz = async (base: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${base}/readyz`, { headers });
  expect(res.status).toBe(200);
  return (await res.json()) as Readiness;
};
const withoutDetails = (body: Readiness) =>
  expect(body).toEqual({
    ready: true,
    instanceId: web.services.config.SYMBOLOGY_INSTANCE_ID,
    checks: { nats: { ok: true }, postgres: { ok: true } },
    failing: [],
  });

beforeAll(async () => {
  system = await startTestSystem();
  const { PORT: _p, ...env } = system.env();
  web = await startWebServer({ ...env, port: 0, host: '0.0.0.0' });
});
afterAll(async () => {
  await web?.stop();
  await system?.stop();
});

describe("the web's /readyz on its public port", () => {
  it('tells a caller on this machine why, down to the NATS server it reached', async () => {
    const body = await readyz(`http://127.0.0.1:${port()}`);
    expect(body.checks.nats?.detail).toMatch(/rtt \d+ ms/);
  });

  it.skipIf(external === undefined)('tells a caller from another address only which checks pass', async () => {
    const body = await readyz(`http://${external}:${port()}`);
    withoutDetails(body);
  });

  it('tells a request relayed by a proxy on this machine only which checks pass', async () => {
    withoutDetails(await readyz(`http://127.0.0.1:${port()}`, { 'x-forwarded-for': '203.0.113.7' }));
    withoutDetails(await readyz(`http://127.0.0.1:${port()}`, { forwarded: 'for=203.0.113.7' }));
  });
});
