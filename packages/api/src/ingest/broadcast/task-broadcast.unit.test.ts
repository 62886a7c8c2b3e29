import {
  applyStatusUpdate,
  evolve,
  isTerminal,
  newTaskId,
  type StatusUpdate,
  type TaskStatus,
} from '@symbology/contracts';
import { happyTask } from '@symbology/contracts/testing';
import { describe, expect, it } from 'vitest';
import { asReplacement } from '../status-replacement';
import { StatusSubscriber, type StatusSink, type SubscriberEnd } from './status-subscriber';
import { TaskBroadcast } from './task-broadcast';

const HOUR = 3_600_000;

const versionsOf = (taskId: string): TaskStatus[] => {
  const out: TaskStatus[] = [];
  happyTask(taskId).forEach((event, i) => out.push(evolve(out.at(-1), event, i + 1)));
  return out;
};

/** A socket that records the frames written to it; `congested` is set by the test. */
class RecordingSink implements StatusSink {
  congested = false;
  readonly frames: Array<{ id: number; result: { id: string; data: { data: StatusUpdate } } }> = [];
  write(frame: Buffer): void {
    this.frames.push(JSON.parse(frame.toString('utf8')) as RecordingSink['frames'][number]);
  }
  get versions(): number[] {
    return this.frames.map((f) => Number(f.result.id));
  }
  /** The statuses the frames build, applied in order (throws when a delta does not apply). */
  get applied(): TaskStatus[] {
    const out: TaskStatus[] = [];
    for (const f of this.frames) {
      const next = applyStatusUpdate(out.at(-1), f.result.data.data);
      if (!next) throw new Error(`frame ${f.result.id} does not apply`);
      out.push(next);
    }
    return out;
  }
}

function setup(read: TaskStatus | undefined) {
  const ends: SubscriberEnd[] = [];
  let idle = false;
  const task = new TaskBroadcast('t', {
    readStatus: () => Promise.resolve(read),
    resyncMs: HOUR,
    onReadError: () => {},
    onSent: () => {},
    onIdle: () => (idle = true),
  });
  const join = (id: number, resumeAfter = -1) => {
    const sink = new RecordingSink();
    const subscriber = new StatusSubscriber(sink, `{"id":${id}`, resumeAfter, (end) => ends.push(end));
    task.add(subscriber);
    return { sink, subscriber };
  };
  return { task, join, ends, isIdle: () => idle };
}

const until = async (check: () => boolean) => {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition never held');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('TaskBroadcast: one task, many subscribers, latest-only', () => {
  it('given a first read, each subscriber gets the snapshot, then deltas that apply, with its id in front', async () => {
    const statuses = versionsOf(newTaskId());
    const { task, join } = setup(statuses[0]);
    const a = join(7);
    await until(() => a.sink.frames.length === 1);
    const b = join(8); // joins a task already read: the snapshot at once
    expect(b.sink.versions).toEqual([1]);
    for (const s of statuses.slice(1, 4)) task.push(s);
    for (const { sink } of [a, b]) {
      expect(sink.versions).toEqual([1, 2, 3, 4]);
      expect(sink.applied.at(-1)).toEqual(statuses[3]);
    }
    expect(a.sink.frames.every((f) => f.id === 7)).toBe(true);
    expect(b.sink.frames[0]!.result.data.data.kind).toBe('snapshot');
  });

  it('given a congested socket, it skips to the newest, never goes back, and the terminal state always goes', async () => {
    const statuses = versionsOf(newTaskId());
    const { task, join, ends, isIdle } = setup(statuses[0]);
    const slow = join(1);
    const fast = join(2);
    await until(() => slow.sink.frames.length === 1);
    slow.sink.congested = true;
    task.push(statuses[1]!);
    task.push(statuses[2]!);
    task.push(statuses[1]!); // an older version arriving late (the projector after the edge)
    expect(slow.sink.versions).toEqual([1]);
    slow.sink.congested = false;
    await until(() => slow.sink.frames.length === 2); // retried with the newest
    expect(slow.sink.versions).toEqual([1, 3]);
    slow.sink.congested = true;
    const last = statuses.at(-1)!;
    expect(isTerminal(last)).toBe(true);
    task.push(last);
    expect(slow.sink.versions).toEqual([1, 3, last.version]);
    expect(fast.sink.versions).toEqual([1, 2, 3, last.version]);
    expect(slow.sink.applied.at(-1)).toEqual(last);
    expect(ends).toEqual(['terminal', 'terminal']);
    expect(isIdle()).toBe(true);
  });

  it('given a resumed subscriber, it sends nothing the client holds, and ends at once on a terminal state it holds', async () => {
    const statuses = versionsOf(newTaskId());
    const last = statuses.at(-1)!;
    const { task, join, ends } = setup(statuses[2]);
    const resumed = join(1, 3);
    await new Promise((r) => setImmediate(r)); // the first read has returned
    expect(resumed.sink.frames).toEqual([]);
    task.push(statuses[3]!);
    expect(resumed.sink.versions).toEqual([4]);
    expect(resumed.sink.frames[0]!.result.data.data.kind).toBe('snapshot');
    task.push(last);
    const done = join(2, last.version);
    expect(done.sink.frames).toEqual([]);
    expect(ends).toEqual(['terminal', 'terminal']);
  });

  it('given a replacement of the version a subscriber holds, it sends a delta from that version to itself, once', async () => {
    const statuses = versionsOf(newTaskId());
    const { task, join } = setup(statuses[2]);
    const live = join(1);
    await until(() => live.sink.frames.length === 1);
    const resumed = join(2, 3);
    // The projector's status at version 3 differs from the edge's (an event set aside, a rebuild).
    const projected = { ...statuses[2]!, error: 'An update to this task could not be recorded' };
    task.push({ ...projected }); // an ordinary announcement of a version held: nothing
    expect(live.sink.versions).toEqual([3]);
    task.push(asReplacement(projected));
    task.push(projected);
    expect(live.sink.versions).toEqual([3, 3]);
    expect(live.sink.frames[1]!.result.data.data).toMatchObject({ kind: 'delta', from: 3, version: 3 });
    expect(live.sink.applied.at(-1)).toEqual(projected);
    // A resumed subscriber's copy is unknown here: it gets the whole status.
    expect(resumed.sink.versions).toEqual([3]);
    expect(resumed.sink.applied.at(-1)).toEqual(projected);
    // Later versions follow on from the replacement.
    const next = { ...statuses[3]!, error: projected.error };
    task.push(next);
    expect(live.sink.applied.at(-1)).toEqual(next);
    expect(live.sink.versions).toEqual([3, 3, 4]);
  });

  it('given an unknown task, every subscriber ends NOT_FOUND', async () => {
    const { join, ends, isIdle } = setup(undefined);
    join(1);
    join(2);
    await until(() => ends.length === 2);
    expect(ends).toEqual(['not-found', 'not-found']);
    expect(isIdle()).toBe(true);
  });
});
