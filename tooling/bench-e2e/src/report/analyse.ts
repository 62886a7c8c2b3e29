import type { CreatedTask, ObservedRecord, PublishedRecord, SubscriberRecord } from '../ipc/messages';
import { STEPS_PER_TASK } from '../load/load-shape';
import { round, summarize, type Stat } from './percentiles';

export type RunRecords = {
  created: CreatedTask[];
  published: PublishedRecord[];
  observed: ObservedRecord[];
  subscribers: SubscriberRecord[];
};

export type Analysis = {
  /** publish -> broker ack; -> status seen on the bus; -> status received by the subscriber. */
  stages: { ack: Stat; bus: Stat; client: Stat };
  /** Live steps (2..13) announced on the bus, of those published. */
  bus: { expected: number; seen: number };
  /** Live steps delivered to subscribers; a skipped one was superseded by a newer state. */
  updates: { expected: number; delivered: number; skipped: number; deliveredPct: number };
  terminal: { expected: number; delivered: number; missed: number };
  subscribersCompleted: number;
  /** Anything here fails the run: a missed final state, versions going back, an invented version, errors. */
  failures: string[];
};

const LIVE_STEPS = STEPS_PER_TASK - 1;
const key = (task: string, version: number) => `${task}\u0000${version}`;

/**
 * Turns the records of one run into its figures. Only steps 2..13 count: step 1 was published
 * before the subscribers connected, and each one received it as its snapshot.
 */
export function analyse({ created, published, observed, subscribers }: RunRecords): Analysis {
  const byKey = new Map(published.map((p) => [key(p.task, p.version), p]));
  const live = published.filter((p) => p.step >= 2);
  const terminalOf = new Map(published.filter((p) => p.step === STEPS_PER_TASK).map((p) => [p.task, p.version]));

  const busLatency = new Map<string, number>();
  for (const o of observed) {
    const p = byKey.get(key(o.task, o.version));
    if (p && p.step >= 2 && !busLatency.has(key(o.task, o.version)))
      busLatency.set(key(o.task, o.version), o.seenAt - p.publishedAt);
  }

  const clientLatency: number[] = [];
  let delivered = 0;
  let terminalDelivered = 0;
  let backwards = 0;
  let unknown = 0;
  const errors: string[] = [];
  for (const s of subscribers) {
    let last = -Infinity;
    s.versions.forEach((version, i) => {
      const p = byKey.get(key(s.task, version));
      if (!p) return void unknown++;
      if (version <= last) return void backwards++;
      last = version;
      if (p.step < 2) return;
      delivered++;
      clientLatency.push(s.times[i]! - p.publishedAt);
    });
    const terminal = terminalOf.get(s.task);
    if (terminal !== undefined && s.versions.includes(terminal)) terminalDelivered++;
    if (s.error !== null) errors.push(s.error);
  }

  const expected = subscribers.length * LIVE_STEPS;
  const missed = subscribers.length - terminalDelivered;
  const failures = [
    missed > 0 && `${missed} of ${subscribers.length} subscribers did not receive the final state`,
    backwards > 0 && `${backwards} deliveries were not newer than the one before`,
    unknown > 0 && `${unknown} deliveries carried a version that was never published`,
    errors.length > 0 && `${errors.length} subscriptions failed (first: ${errors[0]})`,
    terminalOf.size < created.length && `${created.length - terminalOf.size} tasks never published their final step`,
  ].filter((f): f is string => typeof f === 'string');

  return {
    stages: {
      ack: summarize(live.map((p) => p.ackedAt - p.publishedAt)),
      bus: summarize([...busLatency.values()]),
      client: summarize(clientLatency),
    },
    bus: { expected: live.length, seen: busLatency.size },
    updates: {
      expected,
      delivered,
      skipped: expected - delivered,
      deliveredPct: expected === 0 ? 0 : round((100 * delivered) / expected),
    },
    terminal: { expected: subscribers.length, delivered: terminalDelivered, missed },
    subscribersCompleted: subscribers.filter((s) => s.completed).length,
    failures,
  };
}
