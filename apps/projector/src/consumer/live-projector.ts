import { setTimeout as sleep } from 'node:timers/promises';
import type { ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { INGEST_STREAM, isTerminalEvent, TASK_STATUS_PROJECTION } from '@symbology/contracts';
import { backoffDelay, isConsumerNotFound, PULL_EXPIRES_MS } from '@symbology/service';
import type postgres from 'postgres';
import { CheckpointMismatchError, CheckpointMovedError, FoldError, LockLostError, SchemaError } from '../errors';
import type { Logger } from '../logger';
import type { ProjectorMetrics } from '../ops/metrics';
import { readCheckpoint } from '../projections/task-status/checkpoint';
import { classifyEntry } from '../projections/task-status/classify-entry';
import { setAsideReason } from '../projections/task-status/dead-letters';
import { projectBatch } from '../projections/task-status/project-batch';
import type { Batch } from './batch-entry';
import { isDataDbError, isPermanentDbError, sqlState } from './db-errors';
import { fillGap } from './fill-gap';
import { publishStatuses } from './publish-status';
import { ReorderBuffer } from './reorder-buffer';
import { sameStream } from '../stream/stream-state';

export type LiveProjectorDeps = {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  sql: postgres.Sql;
  logger: Logger;
  metrics: ProjectorMetrics;
  batchSize: number;
  /**
   * How long a batch that is not full waits for more events after the first arrived: under load,
   * fewer and larger transactions (each costs the projector and Postgres about the same whatever
   * its size). 0 commits whatever has arrived at once.
   */
  lingerMs: number;
  /** How long a hole before buffered messages may last before it is read from the stream. */
  gapTimeoutMs: number;
  /** Tries at writing one event the database refuses (or the fold throws on) before it is set aside. */
  poisonAttempts: number;
  /** Most sequences held ahead of the checkpoint; deliveries beyond are nak'd to come back later. */
  reorderCapacity: number;
  /** The writer lock this instance holds: every batch commits only while its session still holds it. */
  writer?: { lock: string; pid: number };
  /** Provisions the durable again (it was deleted under us) so that it resumes after `checkpoint`. */
  ensureConsumer?: (checkpoint: number) => Promise<void>;
  /**
   * The creation time of the stream the checkpoint belongs to: a batch commits only while the
   * checkpoint still belongs to it (checked in the checkpoint's update, no extra round trip).
   */
  streamCreatedAt?: Date;
  /**
   * Throws CheckpointMismatchError when INGEST is no longer the stream the checkpoint (at
   * `committed`) belongs to: asked before the durable is provisioned again and before sequences
   * are read from the stream, so that neither resumes on a recreated stream.
   */
  checkStream?: (committed: number) => Promise<void>;
};

/** 1 s, 2 s, 4 s ... 30 s between attempts at a batch while the database fails. */
const COMMIT_RETRY = { baseMs: 1_000, maxMs: 30_000 };
/** Between the tries at one event the database refuses: short, the answer rarely changes. */
const POISON_RETRY = { baseMs: 100, maxMs: 1_000 };

/** The same write will fail the same way: a refusal of the data by SQLSTATE, or a fold that throws. */
const isPoison = (error: unknown) => isDataDbError(error) || error instanceof FoldError;

/**
 * The consume loop: messages arrive through a callback into an inbox, are ordered by sequence,
 * and leave in batches that start exactly at checkpoint + 1. Each batch is one transaction;
 * its deliveries are acked after the commit and its statuses published after that.
 */
export class LiveProjector {
  private checkpoint = 0;
  private inbox: JsMsg[] = [];
  private wake: (() => void) | undefined;
  private readonly pending: ReorderBuffer<JsMsg>;
  private gapSince: number | undefined;
  private failures = 0;
  /** When the checkpoint last moved (or the projector started): what the stall check reads. */
  private progressAt = Date.now();
  private stopping = false;
  private readonly stopped = new AbortController();
  private messages: ConsumerMessages | undefined;
  /** Why the projector stopped by itself (see fail()): run() rejects with it. */
  private failure: Error | undefined;
  head = 0;

  constructor(private readonly deps: LiveProjectorDeps) {
    this.pending = new ReorderBuffer<JsMsg>(deps.reorderCapacity);
  }

  get committed(): number {
    return this.checkpoint;
  }

  /**
   * How long the checkpoint has not moved while the stream holds more, in ms; 0 when caught up.
   * A wedged projector (a database that refuses, a lost consumer) shows here first.
   */
  behindForMs(now = Date.now()): number {
    return this.head <= this.checkpoint ? 0 : now - this.progressAt;
  }

  /** Runs until stop(); rejects on an error that retrying cannot fix. */
  async run(startAt: number): Promise<void> {
    this.checkpoint = startAt;
    this.updateLag();
    await this.startConsuming();
    try {
      while (!this.stopping) {
        await this.nextArrival(500);
        await this.gather();
        this.absorb();
        const batch = await this.nextBatch();
        if (batch) await this.commit(batch);
      }
    } finally {
      await this.release();
    }
    if (this.failure) throw this.failure;
  }

  /**
   * Binds to the durable and pulls; its deliveries go to the inbox. A durable deleted between
   * its provisioning and this bind is provisioned again, as one deleted later would be.
   */
  private async startConsuming(): Promise<void> {
    const bind = () => this.deps.js.consumers.get(INGEST_STREAM, TASK_STATUS_PROJECTION);
    const consumer = await bind().catch(async (error: unknown) => {
      if (!isConsumerNotFound(error) || !this.deps.ensureConsumer) throw error;
      await this.deps.checkStream?.(this.checkpoint);
      await this.deps.ensureConsumer(this.checkpoint);
      this.deps.logger.warn({ checkpoint: this.checkpoint }, 'durable consumer was missing: provisioned again');
      return bind();
    });
    const messages = await consumer.consume({
      max_messages: Math.min(4 * this.deps.batchSize, 10_000),
      expires: PULL_EXPIRES_MS,
      callback: (m) => {
        this.inbox.push(m);
        this.wake?.();
      },
    });
    this.messages = messages;
    void this.watchNotifications(messages);
  }

  /**
   * Stops with an error retrying cannot fix (INGEST was recreated under the running projector):
   * run() then rejects with it, after releasing what it held.
   */
  fail(error: Error): void {
    this.failure ??= error;
    this.stop();
  }

  stop(): void {
    this.stopping = true;
    this.stopped.abort();
    this.wake?.();
  }

  private nextArrival(timeoutMs: number): Promise<void> {
    if (this.inbox.length > 0 || this.pending.size > 0 || this.stopping) return Promise.resolve();
    return this.sleepUnlessWoken(timeoutMs);
  }

  /** Resolves after `ms`, or sooner when a delivery arrives or stop() is called. */
  private sleepUnlessWoken(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }

  /**
   * Once something has arrived, waits up to lingerMs for a batch's worth of events, woken by each
   * arrival; stop ends it at once. With nothing held (the wait for a delivery timed out) there is
   * nothing to gather, and the loop goes straight on (to a gap read, if the stream holds more).
   */
  private async gather(): Promise<void> {
    const { lingerMs, batchSize } = this.deps;
    if (this.inbox.length + this.pending.size === 0) return;
    const until = performance.now() + lingerMs;
    for (;;) {
      const left = until - performance.now();
      if (left <= 0 || this.stopping || this.inbox.length + this.pending.size >= batchSize) return;
      await this.sleepUnlessWoken(left);
    }
  }

  /** Into the reorder buffer; what does not fit is nak'd, to be redelivered once there is room. */
  private hold(seq: number, m: JsMsg): void {
    const refused = this.pending.add(seq, m);
    for (const r of refused) r.nak(this.deps.gapTimeoutMs);
    this.deps.metrics.reorderRefused.inc(refused.length);
    this.deps.metrics.reorderBuffer.set(this.pending.size);
  }

  /** Moves the inbox into the reorder buffer; what is already committed is a redelivery: ack it. */
  private absorb(): void {
    const arrived = this.inbox;
    this.inbox = [];
    for (const m of arrived) {
      if (m.seq <= this.checkpoint) m.ack();
      else this.hold(m.seq, m);
    }
  }

  private async nextBatch(): Promise<Batch | undefined> {
    const next = this.checkpoint + 1;
    const run = this.pending.takeRun(next, this.deps.batchSize);
    this.deps.metrics.reorderBuffer.set(this.pending.size);
    if (run.length > 0) {
      this.gapSince = undefined;
      const entries = run.map(({ seq, item }) => {
        return { seq, subject: item.subject, payload: item.data, deliveries: [item] };
      });
      return { entries, throughSeq: run.at(-1)!.seq };
    }
    // Nothing buffered but the stream holds more: the durable may have leased those messages to
    // an instance that died (they come back only after ack_wait); read them from the stream.
    const lowest = this.pending.lowest() ?? (this.head > this.checkpoint ? this.head + 1 : undefined);
    if (lowest === undefined) {
      this.gapSince = undefined;
      return undefined;
    }
    this.gapSince ??= Date.now();
    if (Date.now() - this.gapSince < this.deps.gapTimeoutMs) return undefined;
    const to = Math.min(lowest - 1, next + this.deps.batchSize - 1);
    this.deps.logger.warn(
      { from: next, to },
      'sequences missing before buffered messages: reading them from the stream',
    );
    this.gapSince = undefined;
    try {
      // A recreated stream holds other events at these sequences.
      await this.deps.checkStream?.(this.checkpoint);
      const read = await fillGap(this.deps.jsm, next, to);
      if (read.skipped.length > 0) {
        this.deps.metrics.gapSkipped.inc(read.skipped.length);
        this.deps.logger.error({ skipped: read.skipped }, 'sequences the stream no longer holds: stepped over');
      }
      // Nothing readable yet (the leader does not have it either): tried again after the gap timeout.
      return read.throughSeq >= next ? read : undefined;
    } catch (error) {
      if (error instanceof CheckpointMismatchError) throw error;
      this.deps.logger.error({ err: error }, 'could not read the missing sequences from the stream');
      return undefined;
    }
  }

  private async commit(batch: Batch): Promise<void> {
    try {
      await this.write(batch);
    } catch (error) {
      if (isPoison(error)) await this.isolatePoison(batch, error);
      else await this.onCommitError(batch, error);
    }
  }

  /** One transaction: fold, write, move the checkpoint; then ack, announce, count. */
  private async write(batch: Batch, setAside?: ReadonlyMap<number, string>): Promise<void> {
    const { logger, metrics, sql } = this.deps;
    const started = performance.now();
    const entries = batch.entries.map(classifyEntry);
    const fence = { writer: this.deps.writer, streamCreatedAt: this.deps.streamCreatedAt };
    const folded = await projectBatch(sql, this.checkpoint, batch.throughSeq, entries, setAside, fence);
    this.checkpoint = batch.throughSeq;
    this.progressAt = Date.now();
    this.failures = 0;
    for (const e of batch.entries) for (const m of e.deliveries) m.ack();
    publishStatuses(this.deps.nc, folded.changed.values(), (s) => folded.marked.has(s.taskId));
    metrics.eventsProjected.inc(folded.projected);
    metrics.batchSize.observe(batch.entries.length);
    metrics.batchSeconds.observe((performance.now() - started) / 1_000);
    metrics.deadLetters.inc(folded.deadLetters.length);
    for (const d of folded.deadLetters)
      logger.warn({ seq: d.seq, subject: d.subject, reason: d.reason }, 'dead letter recorded');
    // One line per finished task, with the ids that tie it to the web and ingestor logs.
    for (const e of entries) {
      if (!e.ok || !isTerminalEvent(e.event)) continue;
      const { taskId, correlationId, type } = e.event;
      logger.info({ taskId, correlationId, seq: e.seq, outcome: type }, 'task finished');
    }
    this.updateLag();
    logger.debug(
      { seq: batch.throughSeq, events: batch.entries.length, tasks: folded.changed.size },
      'batch committed',
    );
  }

  /**
   * A batch the database refuses (or the fold throws on) for its data: commit it one event per
   * transaction, so that everything before the culprit goes in; try the culprit a few times, then
   * set it aside (a dead letter with the reason, its task marked) and go on. Never wedge on one event.
   */
  private async isolatePoison(batch: Batch, first: unknown): Promise<void> {
    const { logger } = this.deps;
    logger.warn(
      { err: first, from: batch.entries[0]?.seq },
      'batch refused for its data: committing it event by event',
    );
    for (const [i, entry] of batch.entries.entries()) {
      const single: Batch = {
        entries: [entry],
        throughSeq: i === batch.entries.length - 1 ? batch.throughSeq : entry.seq,
      };
      for (let attempt = 1; ; attempt++) {
        try {
          await this.write(single);
          break;
        } catch (error) {
          if (!isPoison(error)) {
            await this.onCommitError({ entries: batch.entries.slice(i), throughSeq: batch.throughSeq }, error);
            return;
          }
          if (attempt < this.deps.poisonAttempts) {
            await sleep(backoffDelay(attempt, POISON_RETRY), undefined, { signal: this.stopped.signal }).catch(
              () => {},
            );
            if (this.stopping) return;
            continue;
          }
          try {
            await this.setAside(single, entry.seq, error);
          } catch (setAsideError) {
            const rest: Batch = { entries: batch.entries.slice(i), throughSeq: batch.throughSeq };
            // Refused for its data too: no retry will write it (a bug in the set-aside record).
            if (isPoison(setAsideError)) {
              for (const e of rest.entries) for (const m of e.deliveries) m.nak();
              throw setAsideError;
            }
            // What any write can meet (a deadlock, a timeout, a lost connection, a rebuild's swap):
            // handled as a batch's failure; redelivery brings the culprit back to be set aside again.
            await this.onCommitError(rest, setAsideError);
            return;
          }
          break;
        }
      }
    }
  }

  private async setAside(single: Batch, seq: number, error: unknown): Promise<void> {
    const state = sqlState(error);
    const reason =
      error instanceof FoldError
        ? setAsideReason('unfoldable', error.message)
        : setAsideReason('unwritable', `SQLSTATE ${state}: ${error instanceof Error ? error.message : String(error)}`);
    this.deps.logger.error(
      { err: error, seq, subject: single.entries[0]?.subject, sqlState: state },
      'event could not be written after retries: set aside as a dead letter, projection goes on',
    );
    await this.write(single, new Map([[seq, reason]]));
    this.deps.metrics.setAside.inc();
  }

  private async onCommitError(batch: Batch, error: unknown): Promise<void> {
    const { logger, metrics, sql } = this.deps;
    if (error instanceof LockLostError) {
      // Not ours to write any more: hand the batch back for the next writer and stop.
      for (const e of batch.entries) for (const m of e.deliveries) m.nak();
      throw error;
    }
    if (error instanceof CheckpointMovedError) {
      metrics.checkpointConflicts.inc();
      // Someone else committed: take their checkpoint and drop what it already covers. A checkpoint
      // reset to another stream (a rebuild after INGEST was recreated) is not this run's to follow.
      const now = await readCheckpoint(sql);
      const ours = this.deps.streamCreatedAt;
      if (now && ours && !sameStream(now, { createdAt: ours })) {
        for (const e of batch.entries) for (const m of e.deliveries) m.nak();
        throw new CheckpointMismatchError(
          `stopped projecting: the checkpoint now belongs to stream ${INGEST_STREAM} created ` +
            `${now.streamCreatedAt.toISOString()}, not to the one this run started on (created ${ours.toISOString()}); ` +
            'start the projector again.',
        );
      }
      this.checkpoint = now?.lastSeq ?? this.checkpoint;
      logger.warn({ checkpoint: this.checkpoint }, error.message);
      for (const e of batch.entries) for (const m of e.deliveries) this.hold(m.seq, m);
      for (const m of this.pending.dropThrough(this.checkpoint)) m.ack();
      return;
    }
    if (isPermanentDbError(error)) {
      throw new SchemaError('the task status tables are missing or differ from the code: run `pnpm db:migrate`', {
        cause: error,
      });
    }
    this.failures++;
    const delayMs = backoffDelay(this.failures, COMMIT_RETRY);
    metrics.transientErrors.inc();
    logger.error(
      { err: error, seq: batch.entries[0]?.seq, delayMs },
      'batch failed on a database error: nak and retry',
    );
    // Redelivery (or the gap reader) brings them back in order: nothing past them can commit first.
    for (const e of batch.entries) for (const m of e.deliveries) m.nak(delayMs);
    await sleep(delayMs, undefined, { signal: this.stopped.signal }).catch(() => {});
  }

  private updateLag(): void {
    this.deps.metrics.checkpoint.set(this.checkpoint);
    this.deps.metrics.lag.set(Math.max(0, this.head - this.checkpoint));
  }

  setHead(head: number): void {
    // Caught up until now: the time behind counts from the first event not yet committed.
    if (head > this.head && this.head <= this.checkpoint) this.progressAt = Date.now();
    this.head = Math.max(this.head, head);
    this.updateLag();
  }

  private async watchNotifications(messages: ConsumerMessages): Promise<void> {
    for await (const s of messages.status()) {
      if (
        s.type === 'heartbeats_missed' ||
        s.type === 'consumer_not_found' ||
        s.type === 'consumer_deleted' ||
        s.type === 'stream_not_found'
      ) {
        this.deps.logger.warn({ notification: s.type }, 'consumer notification');
      }
      if (s.type === 'consumer_not_found' || s.type === 'consumer_deleted') void this.reEnsureConsumer();
    }
  }

  private ensuring: Promise<void> | undefined;

  /**
   * Asks the server whether the durable still exists, and provisions it again if not. Called on a
   * timer: a pull on a deleted consumer is not always told so (the notification can be missed).
   */
  async checkConsumer(): Promise<void> {
    const missing = await this.deps.jsm.consumers.info(INGEST_STREAM, TASK_STATUS_PROJECTION).then(
      () => false,
      (error: unknown) => isConsumerNotFound(error),
    );
    if (missing) await this.reEnsureConsumer();
  }

  /**
   * The durable was deleted (by an operator, a script, a role allowed to): provision it again,
   * starting after the checkpoint. The pull loop finds it by itself at its next heartbeat check
   * (seconds: see PULL_EXPIRES_MS). One attempt at a time; what the old consumer delivered and
   * the new one delivers again is deduplicated by sequence in the reorder buffer.
   */
  private reEnsureConsumer(): Promise<void> {
    const ensure = this.deps.ensureConsumer;
    if (!ensure || this.stopping) return Promise.resolve();
    const checkThenEnsure = async () => {
      await this.deps.checkStream?.(this.checkpoint);
      await ensure(this.checkpoint);
    };
    this.ensuring ??= checkThenEnsure()
      .then(() =>
        this.deps.logger.warn({ checkpoint: this.checkpoint }, 'durable consumer was missing: provisioned again'),
      )
      .catch((error: unknown) => {
        // Never onto a recreated stream: the durable would resume mid-way through other events.
        if (error instanceof CheckpointMismatchError) this.fail(error);
        else this.deps.logger.error({ err: error }, 'could not provision the durable consumer again');
      })
      .finally(() => (this.ensuring = undefined));
    return this.ensuring;
  }

  /** Closes the subscription and naks what was delivered but not committed, for the next writer. */
  private async release(): Promise<void> {
    await this.messages?.close().catch(() => {});
    this.absorb();
    for (const m of this.pending.drain()) m.nak();
  }
}
