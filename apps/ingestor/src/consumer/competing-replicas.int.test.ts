import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxInAnyWindow } from '@symbology/edgar-mirror';
import { startHarness, type Harness } from '../testing/harness';
import type { Ingestor } from '../ingestor';

const TICKERS = ['SYMB', 'FLKY', 'NOAR', 'SYMB-B', 'SYMB'];

async function tasksHandled(ingestor: Ingestor): Promise<number> {
  const text = await (await fetch(`${ingestor.httpUrl}/metrics`)).text();
  return [...text.matchAll(/^ingestor_tasks_total\{outcome="Ingest(?:Completed|Failed)"\} (\d+)/gm)].reduce(
    (n, m) => n + Number(m[1]),
    0,
  );
}

describe('two ingestor replicas sharing the durable consumer and the EDGAR limit', () => {
  let h: Harness;
  let replicas: Ingestor[];
  beforeAll(async () => {
    h = await startHarness();
    // Production limiter settings: 10 requests per second across both, 100 ms margin.
    replicas = await Promise.all(
      [1, 2].map((n) =>
        h.start({
          maxRps: 10,
          limiterMarginMs: 100,
          nats: { ...h.nats.credentials('ingestor'), name: `replica-${n}` },
        }),
      ),
    );
  });
  afterAll(async () => h?.close());

  it('processes each of ten tasks exactly once, and no one-second window holds more than 10 EDGAR requests', async () => {
    const taskIds = await Promise.all(Array.from({ length: 10 }, (_, i) => h.request(TICKERS[i % TICKERS.length]!)));
    await Promise.all(taskIds.map((id) => h.waitForTerminal(id, 60_000)));

    for (const [i, taskId] of taskIds.entries()) {
      const stored = await h.stored(taskId);
      const count = (type: string) => stored.filter((s) => s.event.type === type).length;
      const ids = stored.map((s) => s.event.eventId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(count('IngestCompleted') + count('IngestFailed')).toBe(1);
      expect(count('CompanyResolved')).toBe(TICKERS[i % TICKERS.length] === 'NOAR' ? 0 : 1);
    }

    const times = h.mirror.requests().map((r) => r.time);
    // A task for a company already stored fetches only EDGAR's filing list and what is missing, so
    // the repeats add one or two requests each: at least 20 in all, more when tasks overlap.
    expect(times.length).toBeGreaterThanOrEqual(20);
    expect(maxInAnyWindow(times, 1000)).toBeLessThanOrEqual(10);

    // Both replicas took work from the one durable.
    const handled = await Promise.all(replicas.map(tasksHandled));
    expect(handled.reduce((a, b) => a + b, 0)).toBe(10);
    expect(Math.min(...handled)).toBeGreaterThan(0);
  });

  it('serves /healthz, /readyz and Prometheus /metrics with EDGAR, limiter and event counters', async () => {
    const [replica] = replicas;
    expect((await fetch(`${replica!.httpUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${replica!.httpUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      ready: true,
      failing: [],
      checks: { nats: { ok: true }, postgres: { ok: true }, consumer: { ok: true } },
    });
    const text = await (await fetch(`${replica!.httpUrl}/metrics`)).text();
    for (const name of [
      'ingestor_tasks_in_flight',
      'ingestor_edgar_requests_total{status="200"}',
      'ingestor_edgar_request_duration_seconds_bucket',
      'ingestor_edgar_limiter_wait_seconds_bucket',
      'ingestor_events_published_total{type="FilingCompleted",duplicate="false"}',
    ]) {
      expect(text).toContain(name);
    }
  });
});
