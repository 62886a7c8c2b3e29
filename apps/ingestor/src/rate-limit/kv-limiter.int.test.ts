import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { EDGAR_LIMITER_BUCKET } from '@symbology/contracts';
import { ensureStreams } from '@symbology/service';
import { startNatsServer, type RunningNatsServer } from '@symbology/dev-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKvLimiter } from './kv-limiter';
import { maxInAnyWindow } from './sliding-window';

describe('the KV limiter shared by two replicas on a real nats-server', () => {
  let nats: RunningNatsServer;
  const open: NatsConnection[] = [];

  beforeAll(async () => {
    nats = await startNatsServer();
    const op = await nats.connect('operator');
    open.push(op);
    await ensureStreams(op);
  });
  afterAll(async () => {
    await Promise.all(open.map((nc) => nc.close().catch(() => {})));
    await nats?.stop();
  });

  const replica = async () => {
    const nc = await nats.connect('ingestor');
    open.push(nc);
    const kv = await new Kvm(nc).open(EDGAR_LIMITER_BUCKET);
    return createKvLimiter({ kv, key: 'limiter-test', maxPerSecond: 10, marginMs: 50 });
  };

  it('lets no more than 10 requests start in any one-second window across both replicas', async () => {
    const [a, b] = await Promise.all([replica(), replica()]);
    const starts: number[] = [];
    const burst = (limiter: typeof a, n: number) =>
      Promise.all(Array.from({ length: n }, () => limiter.acquire().then(() => starts.push(Date.now()))));
    const began = Date.now();
    await Promise.all([burst(a, 20), burst(b, 20)]);
    expect(starts).toHaveLength(40);
    expect(maxInAnyWindow(starts, 1000)).toBeLessThanOrEqual(10);
    // 40 starts at 10 per (1 s + margin) take at least three further windows, and not much more.
    const took = Date.now() - began;
    expect(took).toBeGreaterThanOrEqual(3 * 1000);
    expect(took).toBeLessThan(6 * 1000);
  });
});
