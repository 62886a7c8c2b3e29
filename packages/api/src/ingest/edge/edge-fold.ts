import { DeliverPolicy, type ConsumerMessages, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { INGEST_STREAM, INGEST_SUBJECTS, type TaskStatus } from '@symbology/contracts';
import type { Logger } from 'pino';
import { DEFAULT_EDGE_LIMITS, EdgeTracks, type EdgeLimits } from './edge-tracks';

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

  constructor(private readonly deps: EdgeFoldDeps) {}

  async start(): Promise<void> {
    const { js, jsm, logger } = this.deps;
    const info = await jsm.streams.info(INGEST_STREAM);
    const startSeq = info.state.last_seq + 1;
    this.tracks = new EdgeTracks(startSeq, this.deps.limits ?? DEFAULT_EDGE_LIMITS, this.deps.isWatched);
    const consumer = await js.consumers.get(INGEST_STREAM, {
      // One filter, as a string: it goes into the create subject, the only form nats.conf lets web use.
      filter_subjects: INGEST_SUBJECTS,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: startSeq,
    });
    this.messages = await consumer.consume({
      callback: (m) => {
        const step = this.tracks!.apply({ seq: m.seq, subject: m.subject, payload: m.data });
        if (step.kind === 'status') this.deps.onStatus(step.status);
        else if (step.kind === 'gap') {
          logger.warn({ from: step.from, to: step.to }, 'edge fold missed sequences: subscribers re-read');
          this.deps.onGap();
        }
      },
    });
    logger.info({ startSeq }, 'edge fold reading INGEST');
  }

  /** The task's status on this edge, if founded. */
  current(taskId: string): TaskStatus | undefined {
    return this.tracks?.current(taskId);
  }

  /** Offers a projected base (see EdgeTracks.found); returns the edge's status once founded. */
  found(taskId: string, projected: TaskStatus | undefined, coveredThrough: number) {
    return this.tracks?.found(taskId, projected, coveredThrough);
  }

  get stats() {
    return { lastSeq: this.tracks?.lastSeq ?? 0, ...(this.tracks?.size ?? { tracks: 0, retainedEvents: 0 }) };
  }

  async stop(): Promise<void> {
    await this.messages?.close().catch(() => {});
  }
}
