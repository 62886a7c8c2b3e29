import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { EDGAR_LIMITER_BUCKET } from '@symbology/contracts';
import { ensureStreams } from '@symbology/service';
import { startNatsServer, type RunningNatsServer } from '@symbology/dev-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKvLimiter, type KvLimiter } from './kv-limiter';
import { maxInAnyWindow } from '@symbology/edgar-mirror';

describe('the KV limiter shared by replicas on a real nats-server', () => {
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

  /** A replica with its own connection; each test uses its own key, so their windows never meet. */
  const replica = async (key: string, options: { skewMs?: number; marginMs: number }) => {
    const nc = await nats.connect('ingestor');
    open.push(nc);
    const kv = await new Kvm(nc).open(EDGAR_LIMITER_BUCKET);
    const { skewMs = 0, marginMs } = options;
    return createKvLimiter({ kv, key, maxPerSecond: 10, marginMs, now: () => Date.now() + skewMs });
  };

  /** Asks each limiter for `n` slots at once; answers every start time (this process's clock). */
  const bursts = async (limiters: KvLimiter[], n: number): Promise<number[]> => {
    const starts: number[] = [];
    await Promise.all(
      limiters.flatMap((l) => Array.from({ length: n }, () => l.acquire().then(() => starts.push(Date.now())))),
    );
    return starts;
  };

  it('lets no more than 10 requests start in any one-second window across both replicas', async () => {
    const pair = await Promise.all([replica('burst', { marginMs: 50 }), replica('burst', { marginMs: 50 })]);
    const began = Date.now();
    const starts = await bursts(pair, 20);
    expect(starts).toHaveLength(40);
    expect(maxInAnyWindow(starts, 1000)).toBeLessThanOrEqual(10);
    // 40 starts at 10 per (1 s + margin) take at least three further windows, and not much more.
    const took = Date.now() - began;
    expect(took).toBeGreaterThanOrEqual(3 * 1000);
    expect(took).toBeLessThan(6 * 1000);
  });

  it('keeps 10 per second across replicas whose clocks are 700 ms apart', async () => {
    // On their own clocks, the replica behind would see the other's starts as in the future and
    // the one ahead would see them as long past: each would grant its own 10 in the same second.
    const pair = await Promise.all([
      replica('skew', { skewMs: 350, marginMs: 100 }),
      replica('skew', { skewMs: -350, marginMs: 100 }),
    ]);
    const starts = await bursts(pair, 20);
    expect(starts).toHaveLength(40);
    expect(maxInAnyWindow(starts, 1000)).toBeLessThanOrEqual(10);
  });

  it('holds every replica during a back-off one of them reports (a 429 with Retry-After)', async () => {
    const [a, b] = await Promise.all([
      replica('pause', { marginMs: 100 }),
      replica('pause', { skewMs: 250, marginMs: 100 }),
    ]);
    await a.acquire();
    const pausedAt = Date.now();
    await a.backOff?.(1_500);
    const startedAt = await Promise.all([a, b].map((l) => l.acquire().then(() => Date.now())));
    for (const t of startedAt) expect(t - pausedAt).toBeGreaterThanOrEqual(1_400);
  });

  it('cuts a pause no replica writes (years away) to the cap past its own stamp, says so once, and grants', async () => {
    const nc = await nats.connect('ingestor');
    open.push(nc);
    const kv = await new Kvm(nc).open(EDGAR_LIMITER_BUCKET);
    // Schema-valid, absurd: a sleep past 2^31-1 ms is cut to 1 ms by Node, so without a bound every
    // replica reads the key in a hot loop and never starts; every later write would copy it.
    await kv.put('absurd', JSON.stringify({ slots: [], pausedUntil: Date.now() + 10 * 365 * 86_400_000 }));
    const clamped: Array<[number, number]> = [];
    let reads = 0;
    const counted = new Proxy(kv, {
      get: (target, prop, receiver) =>
        prop === 'get' ? (k: string) => (reads++, target.get(k)) : Reflect.get(target, prop, receiver),
    });
    const limiter = createKvLimiter({
      kv: counted,
      key: 'absurd',
      maxPerSecond: 10,
      marginMs: 100,
      maxPauseMs: 1_000,
      onClampedPause: (asked, kept) => clamped.push([asked, kept]),
    });
    const began = Date.now();
    await Promise.race([
      limiter.acquire(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no grant in 5 s')), 5_000)),
    ]);
    expect(Date.now() - began).toBeLessThan(3_000);
    expect(clamped).toHaveLength(1);
    expect(clamped[0]![0] - clamped[0]![1]).toBeGreaterThan(365 * 86_400_000);
    expect(reads).toBeLessThan(20);
    // The value written since carries the bounded pause: a replica that never clamps is not stopped by it.
    const after = JSON.parse((await kv.get('absurd'))!.string()) as { pausedUntil: number };
    expect(after.pausedUntil).toBeLessThan(Date.now() + 60_000);
  });
});
