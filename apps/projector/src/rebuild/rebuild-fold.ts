import { availableParallelism } from 'node:os';
import { parseIngestSubject, type StreamEntry, type TaskStatus } from '@symbology/contracts';
import { SHADOW_TASK_TABLES, writeEncodedStatuses, type EncodedStatuses, type Queryable } from '@symbology/db';
import { inlineLane, type FoldLane, type LaneInit, type LaneReply } from './fold-lane';
import { workerLane } from './worker-lane';

/** Chunks a lane holds unanswered at most: a slow lane slows the read instead of growing memory. */
const CHUNKS_IN_FLIGHT = 2;
/** Batches of rows waiting for Postgres at most before the read waits for them. */
const WRITES_QUEUED = 4;

/**
 * One worker per core but the one the main thread (reading the stream, writing) needs, at
 * least one: nats-server and Postgres share the machine too.
 */
export const defaultRebuildWorkers = (): number => Math.max(1, availableParallelism() - 1);

/**
 * The rebuild's fold over lanes: the main thread reads and routes each entry by its task, known
 * from the subject without parsing, so a task's events stay in stream order within one lane;
 * the lanes (worker threads, or one inline lane with `workers` 0) parse, fold and build rows;
 * the main thread writes them, one statement at a time in the order they come, on the `db` of
 * the replay they came from (the swap's final catch-up writes inside its transaction).
 */
export class RebuildFold {
  /** Entries read, unparseable ones included. */
  read = 0;
  skipped = 0;
  private readonly lanes: FoldLane[];
  private readonly inFlight: Promise<void>[][];
  private writes: Promise<void>[] = [];
  private failure: Error | undefined;

  /** Starts the lanes, so that worker threads load while the rebuild prepares. */
  constructor(workers: number) {
    this.lanes = workers === 0 ? [inlineLane()] : Array.from({ length: workers }, (_, index) => workerLane(index));
    this.inFlight = this.lanes.map(() => []);
  }

  /** Gives the lanes their scope; chunks may follow at once (a thread answers in order). */
  start(init: LaneInit): void {
    this.lanes.forEach((lane, index) => this.inFlight[index]!.push(this.receive(undefined, lane.init(init))));
  }

  /** The worker threads (tests end one to see the rebuild fail). */
  get threads() {
    return this.lanes.flatMap((lane) => (lane.thread ? [lane.thread] : []));
  }

  async apply(db: Queryable, entries: readonly StreamEntry[]): Promise<void> {
    this.throwIfFailed();
    this.read += entries.length;
    for (const [index, share] of this.route(entries).entries()) {
      if (share.length === 0) continue;
      const inFlight = this.inFlight[index]!;
      while (inFlight.length >= CHUNKS_IN_FLIGHT) await inFlight.shift();
      inFlight.push(this.receive(db, this.lanes[index]!.apply(share)));
    }
    while (this.writes.length > WRITES_QUEUED) await this.writes[0];
    this.throwIfFailed();
  }

  /** Writes everything folded so far, open tasks included, and waits for it. */
  async flush(db: Queryable): Promise<void> {
    await Promise.all(this.inFlight.flatMap((chunks) => chunks.splice(0)));
    await Promise.all(this.lanes.map((lane) => this.receive(db, lane.flush())));
    await this.writes.at(-1);
    this.throwIfFailed();
  }

  async statuses(): Promise<TaskStatus[]> {
    return (await Promise.all(this.lanes.map((lane) => lane.statuses()))).flat();
  }

  async close(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane.close()));
  }

  private route(entries: readonly StreamEntry[]): (readonly StreamEntry[])[] {
    if (this.lanes.length === 1) return [entries];
    const shares = this.lanes.map((): StreamEntry[] => []);
    for (const entry of entries) shares[laneOf(entry.subject, shares.length)]!.push(entry);
    return shares;
  }

  /** Takes a lane's answer in; never rejects (a failure is kept and thrown by the next call). */
  private async receive(db: Queryable | undefined, answer: Promise<LaneReply>): Promise<void> {
    try {
      const reply = await answer;
      this.skipped += reply.skipped;
      if (reply.rows && db) this.write(db, reply.rows);
    } catch (error) {
      this.fail(error);
    }
  }

  private write(db: Queryable, rows: EncodedStatuses): void {
    const previous = this.writes.at(-1);
    const next = (async () => {
      await previous;
      try {
        if (!this.failure) await writeEncodedStatuses(db, SHADOW_TASK_TABLES, rows);
      } catch (error) {
        this.fail(error);
      }
    })();
    this.writes.push(next);
    // Writes end in the order they were queued.
    void next.then(() => this.writes.shift());
  }

  private fail(error: unknown): void {
    this.failure ??= error instanceof Error ? error : new Error(String(error));
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}

/**
 * A task's lane, from the task id in its subject (`ingest.<taskId>.<type>`). A subject that does
 * not parse goes to lane 0, where it is skipped as unparseable like anywhere else.
 */
export function laneOf(subject: string, lanes: number): number {
  const taskId = parseIngestSubject(subject)?.taskId ?? '';
  let hash = 0;
  for (let i = 0; i < taskId.length; i++) hash = (Math.imul(hash, 31) + taskId.charCodeAt(i)) | 0;
  return (hash >>> 0) % lanes;
}
