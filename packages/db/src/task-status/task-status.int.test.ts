import { evolve, newTaskId, TASK_STATUS_PROJECTION, type IngestEvent, type TaskStatus } from '@symbology/contracts';
import { happyTask, SAMPLE_FILINGS, taskEvents } from '@symbology/contracts/testing';
import { createTestDatabase, type TestDatabase } from '@symbology/dev-services';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../client';
import { runMigrations } from '../migrate';
import type { Queryable } from '../raw-sql';
import {
  createShadowTables,
  dropShadowTables,
  LIVE_TASK_TABLES,
  loadAllStatuses,
  loadStatuses,
  readTaskStatus,
  readTaskStatusCovered,
  SHADOW_TASK_TABLES,
  writeStatuses,
} from './index';

/** Every status a task goes through, folded with the contracts' evolve (versions 1, 2, …). */
function foldAll(events: readonly IngestEvent[]): TaskStatus[] {
  const out: TaskStatus[] = [];
  events.forEach((event, i) => out.push(evolve(out.at(-1), event, i + 1)));
  return out;
}

let database: TestDatabase;
let plain: postgres.Sql;
let drizzleDb: ReturnType<typeof createDb>;

beforeAll(async () => {
  database = await createTestDatabase();
  await runMigrations(database.url);
  plain = postgres(database.url, { max: 2, onnotice: () => {} });
  drizzleDb = createDb(database.url, { max: 2 });
});
afterAll(async () => {
  await plain?.end();
  await drizzleDb?.$client.end();
  await database?.drop();
});

// The projector runs the read model on the plain driver, web on drizzle's client, which swaps
// the driver's timestamp parsers and serializers: both must read and write the same.
const clients: Array<[string, () => Queryable]> = [
  ['the plain postgres driver', () => plain],
  ["createDb's drizzle client ($client)", () => drizzleDb.$client],
];

describe.each(clients)('the task-status read model on %s', (_name, client) => {
  it('writes every status of a task and reads the last one back, whole, by every read', async () => {
    const sql = client();
    const statuses = foldAll(happyTask(newTaskId()));
    for (const status of statuses) await writeStatuses(sql, LIVE_TASK_TABLES, [status]);
    const last = statuses.at(-1)!;
    expect(await readTaskStatus(sql, last.taskId)).toEqual(last);
    expect((await loadStatuses(sql, LIVE_TASK_TABLES, [last.taskId])).get(last.taskId)).toEqual(last);
    expect((await loadAllStatuses(sql, LIVE_TASK_TABLES)).get(last.taskId)).toEqual(last);
  });

  it('writes text that JSON, arrays or SQL quote specially, nulls and large numbers exactly as they are', async () => {
    const sql = client();
    const awkward = `"quoted" \\ back\\slash {braces}, commas, NULL, null, 'single', tab\there, é ü 日本 🚀`;
    const [requested, resolved] = foldAll(happyTask(newTaskId()).slice(0, 2));
    const status: TaskStatus = {
      ...resolved!,
      ticker: requested!.ticker,
      message: awkward,
      error: `${awkward}\nsecond line`,
      company: { cik: '0009999999', name: awkward },
      version: 2 ** 40 + 1,
      filings: resolved!.filings.map((f, i) =>
        i === 0
          ? {
              ...f,
              status: 'partial',
              error: awkward,
              // A person message is whitespace-folded when read (MissingPartSchema), as when parsed.
              missing: [{ part: 'mdna', code: 'not_found', message: awkward.replace('\t', ' '), retryable: true }],
            }
          : f,
      ),
    };
    await writeStatuses(sql, LIVE_TASK_TABLES, [status]);
    expect(await readTaskStatus(sql, status.taskId)).toEqual(status);
  });

  it('given a status at or below the stored version, when written again, then nothing changes', async () => {
    const sql = client();
    const statuses = foldAll(happyTask(newTaskId()).slice(0, 4));
    await writeStatuses(sql, LIVE_TASK_TABLES, [statuses[3]!]);
    expect(await writeStatuses(sql, LIVE_TASK_TABLES, [statuses[3]!])).toEqual([]);
    expect(await writeStatuses(sql, LIVE_TASK_TABLES, [statuses[1]!])).toEqual([]);
    expect(await readTaskStatus(sql, statuses[0]!.taskId)).toEqual(statuses[3]);
  });

  it('given a batch of one stale and one new status, then only the new one is written, with its filings alone', async () => {
    const sql = client();
    const e = taskEvents(newTaskId());
    // The stale one lists five filings where the stored, newer status lists two.
    const [, five, two] = foldAll([e.requested(), e.resolved(), e.resolved(SAMPLE_FILINGS.slice(0, 2))]);
    await writeStatuses(sql, LIVE_TASK_TABLES, [two!]);
    const fresh = foldAll(happyTask(newTaskId()).slice(0, 2)).at(-1)!;
    expect(await writeStatuses(sql, LIVE_TASK_TABLES, [five!, fresh])).toEqual([fresh.taskId]);
    expect(await readTaskStatus(sql, two!.taskId)).toEqual(two);
    expect(await readTaskStatus(sql, fresh.taskId)).toEqual(fresh);
  });

  it('deletes the filings a newer status no longer lists', async () => {
    const sql = client();
    const e = taskEvents(newTaskId());
    // A second CompanyResolved (republished with a shorter selection) replaces the list.
    const [, five, two] = foldAll([e.requested(), e.resolved(), e.resolved(SAMPLE_FILINGS.slice(0, 2))]);
    await writeStatuses(sql, LIVE_TASK_TABLES, [five!]);
    await writeStatuses(sql, LIVE_TASK_TABLES, [two!]);
    const read = await readTaskStatus(sql, two!.taskId);
    expect(read?.filings.map((f) => f.accession)).toEqual(SAMPLE_FILINGS.slice(0, 2).map((f) => f.accession));
  });

  it('answers undefined for a task not projected', async () => {
    await expect(readTaskStatus(client(), newTaskId())).resolves.toBeUndefined();
  });
});

describe('the rebuild’s shadow tables', () => {
  it('are shaped like the live ones and hold their own rows', async () => {
    const last = foldAll(happyTask(newTaskId())).at(-1)!;
    await createShadowTables(plain);
    try {
      await writeStatuses(plain, SHADOW_TASK_TABLES, [last]);
      expect((await loadStatuses(plain, SHADOW_TASK_TABLES, [last.taskId])).get(last.taskId)).toEqual(last);
      await expect(readTaskStatus(plain, last.taskId)).resolves.toBeUndefined();
    } finally {
      await dropShadowTables(plain);
    }
  });
});

describe('one atomic read of a task', () => {
  it('never pairs a task row of one commit with the filings of another', async () => {
    // Two shapes of one task, written alternately: odd versions list five filings, even ones none.
    const [queued, resolved] = foldAll(happyTask(newTaskId()).slice(0, 2));
    const writes = 300;
    let writing = true;
    const writer = (async () => {
      for (let version = 1; version <= writes; version++) {
        const shape = version % 2 === 1 ? resolved! : queued!;
        // One transaction per write, as the projector commits a batch.
        await plain.begin((tx) => writeStatuses(tx, LIVE_TASK_TABLES, [{ ...shape, version }]));
      }
      writing = false;
    })();
    const torn: string[] = [];
    let reads = 0;
    while (writing) {
      const read = await readTaskStatus(drizzleDb.$client, queued!.taskId);
      if (!read) continue;
      reads++;
      const expected = read.version % 2 === 1 ? 5 : 0;
      if (read.filings.length !== expected) torn.push(`v${read.version}: ${read.filings.length} filings`);
    }
    await writer;
    expect(reads).toBeGreaterThan(10);
    expect(torn).toEqual([]);
  });
});

describe('a task read with the projection checkpoint', () => {
  it('pairs the status with the checkpoint of the same commit, never of another', async () => {
    const [queued] = foldAll(happyTask(newTaskId()).slice(0, 1));
    expect(await readTaskStatusCovered(plain, queued!.taskId)).toEqual({
      status: undefined,
      coveredThrough: null,
      streamCreatedAt: null,
    });
    const writes = 200;
    let writing = true;
    const writer = (async () => {
      for (let seq = 1; seq <= writes; seq++) {
        // As the projector commits: the checkpoint and the rows in one transaction.
        await plain.begin(async (tx) => {
          await tx`insert into projection_checkpoints (projection, stream, last_seq, stream_created_at)
            values (${TASK_STATUS_PROJECTION}, 'INGEST', ${seq}, now())
            on conflict (projection) do update set last_seq = excluded.last_seq`;
          await writeStatuses(tx, LIVE_TASK_TABLES, [{ ...queued!, version: seq }]);
        });
      }
      writing = false;
    })();
    const torn: string[] = [];
    let reads = 0;
    while (writing) {
      const { status, coveredThrough } = await readTaskStatusCovered(drizzleDb.$client, queued!.taskId);
      if (!status) continue;
      reads++;
      if (status.version !== coveredThrough) torn.push(`v${status.version} with checkpoint ${coveredThrough}`);
    }
    await writer;
    expect(reads).toBeGreaterThan(10);
    expect(torn).toEqual([]);
    // With the identity of the stream the checkpoint belongs to, from either client.
    const created = new Date('2026-11-29T06:54:17.828Z');
    await plain`update projection_checkpoints set stream_created_at = ${created.toISOString()}`;
    for (const client of [plain, drizzleDb.$client])
      expect(await readTaskStatusCovered(client, queued!.taskId)).toMatchObject({
        coveredThrough: writes,
        streamCreatedAt: created,
      });
    await plain`delete from projection_checkpoints where projection = ${TASK_STATUS_PROJECTION}`;
  });
});
