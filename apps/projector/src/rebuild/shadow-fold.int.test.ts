import {
  newTaskId,
  SET_ASIDE_ERROR,
  subjects,
  type IngestEvent,
  type StreamEntry,
  type TaskStatus,
} from '@symbology/contracts';
import { SAMPLE_FILINGS, taskEvents, taskWithOneFailure } from '@symbology/contracts/testing';
import { createShadowTables, loadAllStatuses, SHADOW_TASK_TABLES, writeEncodedStatuses } from '@symbology/db';
import { runMigrations } from '@symbology/db/migrate';
import { createTestDatabase, type TestDatabase } from '@symbology/dev-services';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyEntry } from '../projections/task-status/classify-entry';
import { foldBatch } from '../projections/task-status/fold-batch';
import { ShadowFold } from './shadow-fold';

let database: TestDatabase;
let sql: postgres.Sql;

beforeAll(async () => {
  database = await createTestDatabase();
  await runMigrations(database.url);
  sql = postgres(database.url, { max: 2, onnotice: () => {} });
});
afterAll(async () => {
  await sql?.end();
  await database?.drop();
});

const entryOf = (event: IngestEvent, seq: number): StreamEntry => ({
  seq,
  subject: subjects.event(event.taskId, event.type),
  payload: JSON.stringify(event),
});

describe("ShadowFold: the rebuild's in-place fold and its writes equal the live projector's fold", () => {
  it('given a stream of finished, open, duplicated, refused and set-aside events, then the shadow tables hold what foldBatch folds', async () => {
    await createShadowTables(sql);
    const [f1] = SAMPLE_FILINGS;
    const finished = Array.from({ length: 20 }, () => newTaskId());
    const [openId, settledTwice, setAsideOpenId] = [newTaskId(), newTaskId(), newTaskId()];
    const open = taskEvents(openId);
    const setAsideOpen = taskEvents(setAsideOpenId);
    const late = taskEvents(settledTwice);
    // Stream order as publishAll makes it (every request first), with the oddities among them.
    const events = [
      ...finished.flatMap((id) => taskWithOneFailure(id)),
      ...taskWithOneFailure(settledTwice),
      open.requested(),
      open.resolved(),
      open.started(f1!),
      setAsideOpen.requested(),
      setAsideOpen.resolved(),
    ];
    const entries = events.map((e, i) => entryOf(e, i + 1));
    let seq = entries.length;
    const firstWrite = entries.length;
    // After the first write: a duplicate, a refused payload, an event on another task's subject,
    // events after a terminal one, and events the live projector set aside (one on a terminal task
    // already written, which makes it due again; one on an open task).
    const duplicate = entries[3]!;
    const afterTerminal = late.ingestFailed();
    const setAsideOnTerminal = late.cancelled({ completed: 0, notAttempted: 5 });
    const setAsideOnOpen = setAsideOpen.started(f1!);
    const mismatched = { ...entryOf(open.completed(f1!), 0), subject: subjects.event(settledTwice, 'FilingCompleted') };
    const more: StreamEntry[] = [
      { ...duplicate, seq: ++seq },
      { seq: ++seq, subject: subjects.event(settledTwice, 'IngestFailed'), payload: '{not json' },
      { ...mismatched, seq: ++seq },
      entryOf(afterTerminal, ++seq),
      entryOf(setAsideOnTerminal, ++seq),
      entryOf(setAsideOnOpen, ++seq),
      entryOf(open.completed(f1!), ++seq),
    ];
    const setAside = new Map([
      [seq - 2, 'future-version: test'],
      [seq - 1, 'future-version: test'],
    ]);

    const fold = new ShadowFold(undefined, setAside);
    const writeDue = async (withOpen: boolean) => {
      const rows = fold.takeDue(withOpen);
      if (rows) await writeEncodedStatuses(sql, SHADOW_TASK_TABLES, rows);
    };
    fold.apply(entries.slice(0, firstWrite));
    // Every finished task is terminal and written now; the open ones wait for the flush.
    expect(fold.pendingWrites).toBe(finished.length + 1);
    await writeDue(false);
    const written = await loadAllStatuses(sql, SHADOW_TASK_TABLES);
    expect(written.size).toBe(finished.length + 1);
    expect(written.get(settledTwice)?.status).toBe('completed_with_errors');

    for (const entry of more) {
      fold.apply([entry]);
      await writeDue(false);
    }
    await writeDue(true);

    const all = [...entries, ...more];
    const expected = foldBatch(new Map<string, TaskStatus>(), all.map(classifyEntry), setAside).changed;
    expect(fold.skipped).toBe(2);
    expect(fold.read).toBe(all.length);
    expect(fold.statuses).toStrictEqual(expected);
    expect(await loadAllStatuses(sql, SHADOW_TASK_TABLES)).toEqual(expected);
    // The set-aside events did reach the written rows: rewritten after the first write, and open.
    expect(expected.get(settledTwice)).toMatchObject({ status: 'completed_with_errors', error: SET_ASIDE_ERROR });
    expect(expected.get(setAsideOpenId)).toMatchObject({ status: 'processing', error: SET_ASIDE_ERROR });
    expect(expected.get(openId)?.stepsCompleted).toBe(1);
  });
});
