import { describe, expect, it } from 'vitest';
import type { PublishedRecord, SubscriberRecord } from '../ipc/messages';
import { STEPS_PER_TASK } from '../load/load-shape';
import { analyse } from './analyse';
import { summarize } from './percentiles';

// One task whose step k is published at 100 k ms with version 10 + k, acked 2 ms later.
const published: PublishedRecord[] = Array.from({ length: STEPS_PER_TASK }, (_, i) => ({
  task: 't',
  step: i + 1,
  version: 11 + i,
  publishedAt: 100 * (i + 1),
  ackedAt: 100 * (i + 1) + 2,
}));
const versions = published.map((p) => p.version);
const created = [{ task: 't', requestedVersion: 11 }];

/** A subscriber that received `these` versions, each `delay` ms after its publish. */
function subscriber(these: number[], delay = 5): SubscriberRecord {
  const at = (v: number) => (published.find((p) => p.version === v)?.publishedAt ?? 0) + delay;
  return { task: 't', versions: these, times: these.map(at), completed: true, error: null };
}

describe('analyse', () => {
  it('counts every live step delivered and times it from its publish', () => {
    const result = analyse({ created, published, observed: [], subscribers: [subscriber(versions)] });
    expect(result.updates).toEqual({ expected: 12, delivered: 12, skipped: 0, deliveredPct: 100 });
    expect(result.stages.client).toEqual({ n: 12, p50: 5, p90: 5, p99: 5, max: 5 });
    expect(result.stages.ack?.p99).toBe(2);
    expect(result.failures).toEqual([]);
  });

  it('allows a superseded version to be skipped', () => {
    const skipping = versions.filter((v) => v !== 15);
    const result = analyse({ created, published, observed: [], subscribers: [subscriber(skipping)] });
    expect(result.updates.skipped).toBe(1);
    expect(result.failures).toEqual([]);
  });

  it('fails a run in which a subscriber never got the final state', () => {
    const result = analyse({ created, published, observed: [], subscribers: [subscriber(versions.slice(0, -1))] });
    expect(result.terminal.missed).toBe(1);
    expect(result.failures).toEqual(['1 of 1 subscribers did not receive the final state']);
  });

  it('fails a run in which versions went backwards or were invented', () => {
    const result = analyse({ created, published, observed: [], subscribers: [subscriber([11, 13, 12, 99, 23])] });
    expect(result.failures).toEqual([
      '1 deliveries were not newer than the one before',
      '1 deliveries carried a version that was never published',
    ]);
  });

  it('times the bus stage from the first sighting of each version', () => {
    const observed = [
      { task: 't', version: 12, seenAt: 230 },
      { task: 't', version: 12, seenAt: 290 },
    ];
    const result = analyse({ created, published, observed, subscribers: [] });
    expect(result.bus).toEqual({ expected: 12, seen: 1 });
    expect(result.stages.bus?.max).toBe(30);
  });
});

describe('summarize', () => {
  it('gives nearest-rank percentiles: each one a latency that happened', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(summarize(values)).toEqual({ n: 100, p50: 50, p90: 90, p99: 99, max: 100 });
    expect(summarize([])).toBeNull();
  });
});
