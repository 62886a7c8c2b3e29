import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { EDGAR_LIMITER_BUCKET } from '@symbology/contracts';
import { ensureStreams } from '@symbology/service';
import { startNatsServer, type RunningNatsServer } from '@symbology/dev-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKvLimiter } from './kv-limiter';
import { maxInAnyWindow } from '@symbology/edgar-mirror';

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

describe('the KV limiter on the server clock', () => {
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

  const replica = async (skewMs: number, key: string) => {
    const nc = await nats.connect('ingestor');
    open.push(nc);
    const kv = await new Kvm(nc).open(EDGAR_LIMITER_BUCKET);
    return createKvLimiter({ kv, key, maxPerSecond: 10, marginMs: 100, now: () => Date.now() + skewMs });
  };

  it('keeps 10 per second across replicas whose clocks are 700 ms apart', async () => {
    // On their own clocks, the replica behind would see the other's starts as in the future and
    // the one ahead would see them as long past: each would grant its own 10 in the same second.
    const [ahead, behind] = await Promise.all([replica(350, 'skew'), replica(-350, 'skew')]);
    const starts: number[] = [];
    const burst = (limiter: typeof ahead, n: number) =>
      Promise.all(Array.from({ length: n }, () => limiter.acquire().then(() => starts.push(Date.now()))));
    await Promise.all([burst(ahead, 20), burst(behind, 20)]);
    expect(starts).toHaveLength(40);
    expect(maxInAnyWindow(starts, 1000)).toBeLessThanOrEqual(10);
  });

  it('holds every replica during a back-off one of them reports (a 429 with Retry-After)', async () => {
    const [a, b] = await Promise.all([replica(0, 'pause'), replica(250, 'pause')]);
    await a.acquire();
    const pausedAt = Date.now();
    await a.backOff?.(1_500);
    const startedAt = await Promise.all([a, b].map((l) => l.acquire().then(() => Date.now())));
    for (const t of startedAt) expect(t - pausedAt).toBeGreaterThanOrEqual(1_400);
  });
});
