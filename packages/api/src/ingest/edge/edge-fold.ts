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

/** A recreated INGEST, or a fold that stopped following the stream, is noticed within this (twice it, for a stall). */
const STREAM_CHECK_MS = 5_000;

export type EdgeFoldDeps = {
  js: JetStreamClient;
  jsm: JetStreamManager;
  logger: Logger;
  /** A founded task's new status, the moment its event is read. */
  onStatus: (status: TaskStatus) => void;
  /**
   * The edge's statuses may be old (sequences missed, a new stream, the fold stalled): subscribers
   * should re-read.
   */
  onGap: () => void;
  isWatched: (taskId: string) => boolean;
  limits?: EdgeLimits;
  /** How often to look at INGEST: recreated? the fold following it? (default STREAM_CHECK_MS). */
  streamCheckMs?: number;
};

/**
 * One ordered JetStream consumer per web process on the whole INGEST stream, from its end at
 * boot, folded with `evolve` into the statuses of the tasks somebody here watches (EdgeTracks).
 * An event reaches the subscribers without waiting for the projector's commit; the projector's
 * table stays the source of snapshots, of polling and of every task the edge cannot found.
 * The ordered consumer recreates itself after a reset from the last sequence it delivered, so the
 * edge sees every sequence in order; if it ever does not, EdgeTracks reports a gap.
 *
 * nats.js recreates it only when the server answers "consumer not found". An ordered consumer is
 * R1: when its cluster node dies, nothing answers at all, and the client asks again forever. So
 * the periodic look at the stream also compares its last sequence with the fold's: a fold that
 * has not read one more message in a whole interval while the stream held more is stalled, and
 * reads the stream again from its last folded sequence with a new consumer (placed on a live
 * node). Until it has caught up it is `behind`: its statuses may be old, and readers take the
 * projector's when newer.
 */
export class EdgeFold {
  private tracks: EdgeTracks | undefined;
  private messages: ConsumerMessages | undefined;
  /** Bumped per consumer: a message of a closed one is not folded. */
  private reader = 0;
  private streamCreated: string | undefined;
  private checkTimer: NodeJS.Timeout | undefined;
  /** The fold's last sequence and the stream's, at the previous look. */
  private looked: { head: number; last: number } | undefined;
  /** The fold is behind the stream until it has folded this sequence. */
  private behindThrough = 0;
  /** The fold's last sequence when it was last found stalled (one warning and re-read per stall). */
  private stalledAt: number | undefined;
  private checking = false;
  private stopped = false;

  constructor(private readonly deps: EdgeFoldDeps) {}

  async start(): Promise<void> {
    await this.open();
    const everyMs = this.deps.streamCheckMs ?? STREAM_CHECK_MS;
    this.checkTimer = setInterval(() => void this.check(), everyMs).unref();
  }

  /** Reads INGEST from its current end with a fresh fold. */
  private async open(): Promise<void> {
    const info = await this.deps.jsm.streams.info(INGEST_STREAM);
    this.streamCreated = info.created;
    const startSeq = info.state.last_seq + 1;
    const tracks = new EdgeTracks(startSeq, this.deps.limits ?? DEFAULT_EDGE_LIMITS, this.deps.isWatched);
    this.tracks = tracks;
    this.looked = undefined;
    this.behindThrough = 0;
    this.stalledAt = undefined;
    await this.read(tracks, startSeq);
    this.deps.logger.info({ startSeq, streamCreated: info.created }, 'edge fold reading INGEST');
  }

  /** Folds INGEST into `tracks` from `startSeq` with a new ordered consumer, in place of the current one. */
  private async read(tracks: EdgeTracks, startSeq: number): Promise<void> {
    const { js, logger } = this.deps;
    const reader = ++this.reader;
    const previous = this.messages;
    this.messages = undefined;
    await previous?.close().catch(() => {});
    const consumer = await js.consumers.get(INGEST_STREAM, {
      // One filter, as a string: the consumer is then created on `CREATE.INGEST.<name>.<filter>`,
      // the only form nats.conf lets the web role use.
      filter_subjects: INGEST_SUBJECTS,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: startSeq,
    });
    const messages = await consumer.consume({
      max_messages: PULL_AHEAD_MESSAGES,
      expires: PULL_EXPIRES_MS,
      callback: (m) => {
        if (reader !== this.reader) return;
        const step = tracks.apply({ seq: m.seq, subject: m.subject, payload: m.data });
        if (step.kind === 'status') this.deps.onStatus(step.status);
        else if (step.kind === 'gap') {
          logger.warn({ from: step.from, to: step.to }, 'edge fold missed sequences: subscribers re-read');
          this.deps.onGap();
        }
      },
    });
    // Stopped, or replaced by another read, meanwhile.
    if (reader !== this.reader || this.stopped) await messages.close().catch(() => {});
    else this.messages = messages;
  }

  /** One look at INGEST: recreated (start over), or not followed (read it again). One at a time. */
  private async check(): Promise<void> {
    if (this.checking || this.stopped) return;
    this.checking = true;
    try {
      const info = await this.deps.jsm.streams.info(INGEST_STREAM).catch(() => undefined);
      // Missing (being recreated), or no stream leader right now: check again on the next tick.
      if (!info || this.stopped) return;
      if (info.created !== this.streamCreated) await this.startOver(info.created);
      else await this.checkFollowing(info.state.last_seq);
    } catch (error) {
      this.deps.logger.error({ err: error }, 'the edge fold could not read INGEST again: retrying');
    } finally {
      this.checking = false;
    }
  }

  /**
   * A deleted and recreated INGEST starts its sequences over, below the fold's head: the ordered
   * consumer would wait for sequences past the old end and the edge would ignore the new ones.
   * The stream's creation time tells; the edge then starts over on the new stream and its
   * subscribers re-read.
   */
  private async startOver(created: string): Promise<void> {
    this.deps.logger.warn({ was: this.streamCreated, now: created }, 'INGEST was recreated: the edge fold starts over');
    this.tracks = undefined;
    this.reader++; // the old stream's messages are not folded meanwhile
    await this.open();
    this.deps.onGap();
  }

  /**
   * The fold is behind when it has not reached, in a whole interval, the last sequence the stream
   * held at the previous look; stalled when it has not read one message meanwhile. A stalled fold
   * reads INGEST again from its last sequence, keeping every task it holds; its subscribers
   * re-read at once (then from Postgres too, the edge being behind) rather than at their next
   * periodic re-read.
   */
  private async checkFollowing(streamLast: number): Promise<void> {
    const tracks = this.tracks;
    if (!tracks) return;
    const head = tracks.lastSeq;
    const before = this.looked;
    this.looked = { head, last: streamLast };
    if (!before || before.last <= before.head || head >= before.last) return;
    // (A newly elected stream leader may briefly answer with a last sequence below the previous.)
    this.behindThrough = Math.max(this.behindThrough, before.last, streamLast);
    if (head !== before.head) return;
    if (this.stalledAt !== head) {
      this.stalledAt = head;
      this.deps.logger.warn(
        { lastSeq: head, streamLastSeq: streamLast },
        'edge fold stalled: reading INGEST again from its last sequence; subscribers re-read',
      );
      this.deps.onGap();
    }
    await this.read(tracks, head + 1);
  }

  /**
   * Whether the fold is known to lag the stream (stalled, or reading it again): its statuses may
   * be older than the projector's.
   */
  get behind(): boolean {
    return this.behindThrough > (this.tracks?.lastSeq ?? Number.POSITIVE_INFINITY);
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
    return {
      lastSeq: this.tracks?.lastSeq ?? 0,
      behind: this.behind,
      ...(this.tracks?.size ?? { tracks: 0, retainedEvents: 0 }),
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.reader++;
    clearInterval(this.checkTimer);
    await this.messages?.close().catch(() => {});
  }
}
