import {
  foldStream,
  newTaskId,
  subjects,
  type IngestEvent,
  type StreamEntry,
  type TaskStatus,
} from '@symbology/contracts';
import { happyTask, SAMPLE_FILINGS, taskEvents, taskWithOneFailure } from '@symbology/contracts/testing';
import { describe, expect, it } from 'vitest';
import { EdgeTracks } from './edge-tracks';

/** Three tasks' events interleaved on one stream, with a message no fold can read in the middle. */
function interleavedStream(): { entries: StreamEntry[]; taskIds: string[] } {
  const tasks = [happyTask(newTaskId()), taskWithOneFailure(newTaskId()), cancelled(newTaskId())];
  const entries: StreamEntry[] = [];
  const push = (e: IngestEvent) =>
    entries.push({ seq: entries.length + 1, subject: subjects.event(e.taskId, e.type), payload: JSON.stringify(e) });
  for (let i = 0; i < 13; i++) {
    for (const events of tasks) if (events[i]) push(events[i]!);
    if (i === 6) entries.push({ seq: entries.length + 1, subject: `ingest.${tasks[0]![0]!.taskId}.x`, payload: '{' });
  }
  return { entries, taskIds: tasks.map((t) => t[0]!.taskId) };
}

function cancelled(taskId: string): IngestEvent[] {
  const e = taskEvents(taskId);
  const [f1] = SAMPLE_FILINGS;
  return [
    e.requested(),
    e.resolved(),
    e.started(f1!),
    e.cancelRequested(),
    e.cancelled({ completed: 0, notAttempted: 5 }),
  ];
}

/** The projector's state after committing through `seq`: the contracts' fold of the stream's prefix. */
const projectedThrough = (entries: StreamEntry[], seq: number) =>
  foldStream(entries.filter((e) => e.seq <= seq)).statuses;

describe('the edge fold equals the projector fold on the same events', () => {
  const { entries, taskIds } = interleavedStream();
  const last = entries.at(-1)!.seq;

  it('given an edge that read the stream from its start, every status it announces is the projected one at that version', () => {
    const edge = new EdgeTracks(1);
    for (const id of taskIds) expect(edge.found(id, undefined, 0)).toEqual({ status: undefined });
    for (const entry of entries) {
      const step = edge.apply(entry);
      if (step.kind !== 'status') continue;
      expect(step.status).toEqual(projectedThrough(entries, entry.seq).get(step.status.taskId));
    }
    for (const id of taskIds) expect(edge.current(id)).toEqual(projectedThrough(entries, last).get(id));
  });

  it('given an edge started mid-stream, founded on a projection at any checkpoint since, it ends on the projected status', () => {
    for (let start = 2; start <= last; start += 3) {
      for (let covered = start - 1; covered <= last; covered += 4) {
        const edge = new EdgeTracks(start);
        const base = projectedThrough(entries, covered);
        // Events up to the checkpoint reach the edge before and after the base: both orders hold.
        const before = entries.filter((e) => e.seq >= start && e.seq <= Math.min(last, covered + 2));
        for (const e of before) edge.apply(e);
        for (const id of taskIds) expect(edge.found(id, base.get(id), covered)).toBeDefined();
        for (const e of entries.filter((x) => x.seq > Math.min(last, covered + 2))) edge.apply(e);
        for (const id of taskIds)
          expect(edge.current(id), `start ${start}, covered ${covered}`).toEqual(
            projectedThrough(entries, last).get(id),
          );
      }
    }
  });

  it('refuses a base older than where it started: it has not seen the events in between', () => {
    const edge = new EdgeTracks(10);
    for (const e of entries.filter((x) => x.seq >= 10)) edge.apply(e);
    expect(edge.found(taskIds[0]!, projectedThrough(entries, 8).get(taskIds[0]!), 8)).toBeUndefined();
    expect(edge.current(taskIds[0]!)).toBeUndefined();
  });

  it('given a gap in the sequence, it forgets every task and reports the gap; a base past the gap founds again', () => {
    const edge = new EdgeTracks(1);
    for (const id of taskIds) edge.found(id, undefined, 0);
    const steps = entries.filter((e) => e.seq !== 12).map((e) => edge.apply(e));
    expect(steps.filter((s) => s.kind === 'gap')).toEqual([{ kind: 'gap', from: 12, to: 12 }]);
    for (const id of taskIds) expect(edge.current(id)).toBeUndefined();
    expect(edge.found(taskIds[0]!, projectedThrough(entries, 11).get(taskIds[0]!), 11)).toBeUndefined();
    const base = projectedThrough(entries, 20);
    expect(edge.found(taskIds[1]!, base.get(taskIds[1]!), 20)).toEqual({
      status: projectedThrough(entries, last).get(taskIds[1]!),
    });
  });

  it('when memory runs short it drops unwatched tasks, and refuses a base that would need their events', () => {
    const watched = taskIds[2]!;
    const edge = new EdgeTracks(1, { maxTracks: 1, maxRetained: 100 }, (id) => id === watched);
    for (const id of taskIds) edge.found(id, undefined, 0);
    for (const entry of entries) edge.apply(entry);
    expect(edge.size.tracks).toBe(1);
    expect(edge.current(watched)).toEqual(projectedThrough(entries, last).get(watched));
    const early = projectedThrough(entries, 20).get(taskIds[0]!);
    expect(edge.found(taskIds[0]!, early, 20)).toBeUndefined();
    const status: TaskStatus | undefined = projectedThrough(entries, last).get(taskIds[0]!);
    expect(edge.found(taskIds[0]!, status, last)).toEqual({ status });
  });

  describe('given the projector replaces a status (an event set aside, a rebuild)', () => {
    const taskId = taskIds[0]!;
    const mine = entries.filter((e) => e.subject.startsWith(`ingest.${taskId}.`) && e.payload !== '{');
    const at = mine[5]!.seq;
    const corrected = (): TaskStatus => ({ ...projectedThrough(entries, at).get(taskId)!, error: 'set aside' });

    it('not folded past it: continues from the replacement, skipping the events it covers', () => {
      const edge = new EdgeTracks(1);
      edge.found(taskId, undefined, 0);
      for (const e of entries.filter((x) => x.seq <= mine[3]!.seq)) edge.apply(e);
      // The edge is behind the projector here: the replacement covers events it has not read yet.
      expect(edge.replace(corrected())).toEqual({ droppedThrough: undefined });
      expect(edge.current(taskId)).toEqual(corrected());
      for (const e of entries.filter((x) => x.seq > mine[3]!.seq)) edge.apply(e);
      expect(edge.current(taskId)).toEqual({ ...projectedThrough(entries, last).get(taskId)!, error: 'set aside' });
    });

    it('folded past it: lets go of the task until a base holds all it folded', () => {
      const edge = new EdgeTracks(1);
      edge.found(taskId, undefined, 0);
      const through = mine[8]!.seq;
      for (const e of entries.filter((x) => x.seq <= through)) edge.apply(e);
      const handedOut = edge.current(taskId)!.version;
      expect(edge.replace(corrected())).toEqual({ droppedThrough: handedOut });
      expect(edge.current(taskId)).toBeUndefined();
      expect(edge.found(taskId, corrected(), at)).toBeUndefined();
      const base = { ...projectedThrough(entries, through).get(taskId)!, error: 'set aside' };
      expect(edge.found(taskId, base, through)).toEqual({ status: base });
    });
  });
});
