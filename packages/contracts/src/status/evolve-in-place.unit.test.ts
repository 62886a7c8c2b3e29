import { describe, expect, it } from 'vitest';
import { newTaskId } from '../events/event-ids';
import type { IngestEvent, SelectedFiling } from '../events/ingest-events';
import { DOCUMENT_MISSING, SAMPLE_FILINGS, taskEvents } from '../testing/task-events';
import { evolve, evolveInPlace } from './evolve';
import type { TaskStatus } from './task-status';

type Delivery = { event: IngestEvent; seq: number };
type Five<T> = [T, T, T, T, T];
const [f1, f2, f3, f4, f5] = SAMPLE_FILINGS as Five<SelectedFiling>;

/** Every kind of event a task can get, in an order the ingestor could emit them. */
function everyKind(taskId: string): IngestEvent[] {
  const e = taskEvents(taskId);
  return [
    e.requested(),
    e.resolved(),
    e.started(f1),
    e.completed(f1),
    e.started(f2),
    e.partial(f2, DOCUMENT_MISSING),
    e.started(f3),
    e.failed(f3),
    e.cancelRequested(),
    e.started(f4),
    e.resolved(SAMPLE_FILINGS, 1),
    e.completed(f4),
    e.cancelled({ completed: 2, partial: 1, failed: 1, notAttempted: 1 }),
    e.started(f5),
    e.ingestFailed(),
    e.ingestCompleted(3, 1, 1),
  ];
}

/** A deterministic generator (an LCG: plenty for shuffling), so that a failing seed can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => (a = (Math.imul(a, 1_664_525) + 1_013_904_223) >>> 0) / 4_294_967_296;
}

/**
 * Deliveries as a stream and its consumers can see them: shuffled (out of order), some delivered
 * twice at the same seq, some redelivered later at an older seq, sequences with holes.
 */
function scrambled(events: IngestEvent[], next: () => number): Delivery[] {
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)]!;
  const order = [...events].sort(() => next() - 0.5);
  const out: Delivery[] = [];
  let seq = 1 + Math.floor(next() * 5);
  for (const event of order) {
    out.push({ event, seq });
    if (next() < 0.2) out.push({ event, seq });
    if (next() < 0.2 && out.length > 1) out.push(pick(out));
    seq += 1 + Math.floor(next() * 3);
  }
  return out;
}

/** Makes any later write to the status (or its filings) throw: evolve must never change its input. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Folds with both: evolve on frozen statuses (any mutation of its input throws), evolveInPlace on
 * one accumulator. After every delivery the accumulator must equal evolve's status exactly (no
 * extra or missing keys, `undefined` included), and be the same object whenever evolve returned
 * its input unchanged.
 */
function expectSameFold(deliveries: Delivery[]): TaskStatus | undefined {
  let pure: TaskStatus | undefined;
  let acc: TaskStatus | undefined;
  for (const { event, seq } of deliveries) {
    const before = acc;
    const next = evolve(pure, event, seq);
    acc = evolveInPlace(acc, event, seq);
    expect(structuredClone(acc)).toStrictEqual(structuredClone(next));
    if (next === pure) expect(acc).toBe(before);
    pure = deepFreeze(next);
  }
  return acc;
}

describe('evolveInPlace: the fold without a copy per event equals evolve', () => {
  it('given every kind of event in order, then every intermediate status is the same', () => {
    const status = expectSameFold(everyKind(newTaskId()).map((event, i) => ({ event, seq: i + 1 })));
    expect(status?.status).toBe('cancelled');
  });

  it('given the same event twice at the same seq, and a redelivery at an older seq, then neither changes anything', () => {
    const [requested, resolved, started, completed] = everyKind(newTaskId());
    const status = expectSameFold([
      { event: requested!, seq: 1 },
      { event: resolved!, seq: 2 },
      { event: resolved!, seq: 2 },
      { event: started!, seq: 3 },
      { event: completed!, seq: 4 },
      { event: started!, seq: 3 },
    ]);
    expect(status).toMatchObject({ version: 4, stepsCompleted: 1 });
  });

  it('given events after a terminal one, then the terminal guard holds for both', () => {
    const e = taskEvents(newTaskId());
    const events = [
      e.requested(),
      e.resolved(),
      e.ingestFailed(),
      e.started(f1),
      e.completed(f1),
      e.ingestCompleted(1, 0),
    ];
    const status = expectSameFold(events.map((event, i) => ({ event, seq: i + 1 })));
    expect(status).toMatchObject({ status: 'failed', version: 3 });
  });

  it('given filings the resolution did not list, or progress before the resolution, then both fold them alike', () => {
    const e = taskEvents(newTaskId());
    const unlisted: SelectedFiling = { ...f5, accession: '0009999999-99-000099' };
    const events = [
      e.started(f1),
      e.completed(f2),
      e.requested(),
      e.started(unlisted),
      e.failed(unlisted),
      e.resolved([f1, f2]),
      e.started(f2),
      e.ingestCompleted(1, 1),
    ];
    expectSameFold(events.map((event, i) => ({ event, seq: 10 + i })));
  });

  it('given 500 scrambled deliveries of every kind (shuffled, duplicated, redelivered, holes), then they agree', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const next = random(seed);
      expectSameFold(scrambled(everyKind(newTaskId()), next));
    }
  });
});
