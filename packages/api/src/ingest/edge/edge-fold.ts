import { DeliverPolicy, type ConsumerMessages, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { INGEST_STREAM, INGEST_SUBJECTS, type TaskStatus } from '@symbology/contracts';
import { PULL_EXPIRES_MS } from '@symbology/service';
import type { Logger } from 'pino';
import { DEFAULT_EDGE_LIMITS, EdgeTracks, type EdgeLimits } from './edge-tracks';

/**
 * Messages the server may push ahead of the fold: while a fan-out round keeps the process busy
 * the backlog waits in the socket, and the next round starts from all of it (StatusCoalescer).
 */
const PULL_AHEAD_MESSAGES = 1_000;

/** A recreated INGEST is noticed within this. */
const STREAM_CHECK_MS = 5_000;

export type EdgeFoldDeps = {
  js: JetStreamClient;
  jsm: JetStreamManager;
  logger: Logger;
  /** A founded task's new status, the moment its event is read. */
  onStatus: (status: TaskStatus) => void;
  /** Sequences were missed: every task's status on the edge is gone; subscribers should re-read. */
  onGap: () => void;
  isWatched: (taskId: string) => boolean;
  limits?: EdgeLimits;
  /** How often to look whether INGEST was recreated (default STREAM_CHECK_MS). */
  streamCheckMs?: number;
};

/**
 * One ordered JetStream consumer per web process on the whole INGEST stream, from its end at
 * boot, folded with `evolve` into the statuses of the tasks somebody here watches (EdgeTracks).
 * An event reaches the subscribers without waiting for the projector's commit; the projector's
 * table stays the source of snapshots, of polling and of every task the edge cannot found.
 * The ordered consumer recreates itself after a reset from the last sequence it delivered, so the
 * edge sees every sequence in order; if it ever does not, EdgeTracks reports a gap.
 */
export class EdgeFold {
  private tracks: EdgeTracks | undefined;
  private messages: ConsumerMessages | undefined;
  private streamCreated: string | undefined;
  private checkTimer: NodeJS.Timeout | undefined;
  private reopening = false;
  private stopped = false;

  constructor(private readonly deps: EdgeFoldDeps) {}

  async start(): Promise<void> {
    await this.open();
    const everyMs = this.deps.streamCheckMs ?? STREAM_CHECK_MS;
    this.checkTimer = setInterval(() => void this.checkStream(), everyMs).unref();
  }

  /** Reads INGEST from its current end with a fresh fold. */
  private async open(): Promise<void> {
    const { js, jsm, logger } = this.deps;
    const info = await jsm.streams.info(INGEST_STREAM);
    this.streamCreated = info.created;
    const startSeq = info.state.last_seq + 1;
    const tracks = new EdgeTracks(startSeq, this.deps.limits ?? DEFAULT_EDGE_LIMITS, this.deps.isWatched);
    this.tracks = tracks;
    const consumer = await js.consumers.get(INGEST_STREAM, {
      // One filter, as a string: the consumer is then created on `CREATE.INGEST.<name>.<filter>`,
      // the only form nats.conf lets the web role use.
      filter_subjects: INGEST_SUBJECTS,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: startSeq,
    });
    this.messages = await consumer.consume({
      max_messages: PULL_AHEAD_MESSAGES,
      expires: PULL_EXPIRES_MS,
      callback: (m) => {
        const step = tracks.apply({ seq: m.seq, subject: m.subject, payload: m.data });
        if (step.kind === 'status') this.deps.onStatus(step.status);
        else if (step.kind === 'gap') {
          logger.warn({ from: step.from, to: step.to }, 'edge fold missed sequences: subscribers re-read');
          this.deps.onGap();
        }
      },
    });
    logger.info({ startSeq, streamCreated: info.created }, 'edge fold reading INGEST');
  }

  /**
   * A deleted and recreated INGEST starts its sequences over, below the fold's head: the ordered
   * consumer would wait for sequences past the old end and the edge would ignore the new ones.
   * The stream's creation time tells; the edge then starts over on the new stream and its
   * subscribers re-read.
   */
  private async checkStream(): Promise<void> {
    if (this.reopening || this.stopped) return;
    this.reopening = true;
    try {
      const info = await this.deps.jsm.streams.info(INGEST_STREAM).catch(() => undefined);
      // Missing (being recreated): check again on the next tick.
      if (!info || info.created === this.streamCreated || this.stopped) return;
      this.deps.logger.warn(
        { was: this.streamCreated, now: info.created },
        'INGEST was recreated: the edge fold starts over',
      );
      this.tracks = undefined;
      await this.messages?.close().catch(() => {});
      await this.open();
      this.deps.onGap();
    } catch (error) {
      this.deps.logger.error({ err: error }, 'the edge fold could not reopen INGEST: retrying');
    } finally {
      this.reopening = false;
    }
  }

  /** The task's status on this edge, if founded. */
  current(taskId: string): TaskStatus | undefined {
    return this.tracks?.current(taskId);
  }

  /** The projector's correction of a task's status (see EdgeTracks.replace). */
  replace(status: TaskStatus): { droppedThrough: number | undefined } {
    return this.tracks?.replace(status) ?? { droppedThrough: undefined };
  }

  /**
   * Offers a projected base (see EdgeTracks.found), read with the checkpoint it is complete
   * through and the creation time of the stream that checkpoint was written for; returns the
   * edge's status once founded. A checkpoint of another stream (INGEST recreated, the projection
   * not rebuilt yet) says nothing about this stream's sequences: the base is not used, and the
   * task is founded only from the stream itself, when the edge holds all of it (read from seq 1).
   */
  found(taskId: string, projected: TaskStatus | undefined, coveredThrough: number, streamCreatedAt: Date) {
    const created = this.streamCreated === undefined ? undefined : new Date(this.streamCreated);
    if (created?.getTime() !== streamCreatedAt.getTime()) return this.tracks?.found(taskId, undefined, 0);
    return this.tracks?.found(taskId, projected, coveredThrough);
  }

  get stats() {
    return { lastSeq: this.tracks?.lastSeq ?? 0, ...(this.tracks?.size ?? { tracks: 0, retainedEvents: 0 }) };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.checkTimer);
    await this.messages?.close().catch(() => {});
  }
}
