import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import {
  parseStatusSubject,
  STATUS_REPLACE_HEADER,
  STATUS_VERSION_HEADER,
  subjects,
  TaskStatusSchema,
  type TaskStatus,
} from '@symbology/contracts';
import type { Logger } from 'pino';
import type { ApiMetrics } from '../metrics';
import { EdgeFold } from './edge/edge-fold';
import type { EdgeLimits } from './edge/edge-tracks';
import { LatestQueue } from './latest-queue';
import { StatusCoalescer } from './status-coalescer';
import { asReplacement } from './status-replacement';

/** What the fan-out pushes a task's statuses to: a subscriber's mailbox, or a task's broadcast. */
export interface StatusListener {
  push(status: TaskStatus): void;
  /** Re-read the task (NATS reconnected, the edge lost events): a push may have been lost. */
  nudge(): void;
  /** The process is stopping. */
  close(): void;
}

export type StatusFanoutDeps = {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  logger: Logger;
  metrics: Pick<ApiMetrics, 'natsStatusReceived' | 'edgeStatuses' | 'edgeGaps'>;
  /** Fold the stream in this process (default). Off: live statuses come from the projector only. */
  edgeFold?: boolean;
  edgeLimits?: EdgeLimits;
  /** The shortest time between two hand-outs (StatusCoalescer); 0: every turn of the loop. */
  flushIntervalMs?: number;
};

/**
 * The live statuses of one web process, fanned out to the local subscribers of each task: a
 * thousand browsers watching one task cost one mailbox push each, not a thousand NATS
 * subscriptions. Two sources feed the mailboxes, and since both are folds of the same stream
 * versioned by stream sequence, a subscriber simply keeps the newer:
 * - the edge fold (`EdgeFold`): this process reads INGEST itself and folds with `evolve`, so an
 *   event reaches the browser without waiting for the projector's commit;
 * - the projector's announcements on core NATS `status.>`, after each commit: they cover every
 *   task the edge cannot found yet, and any web process that runs without the edge.
 * An announcement marked `Status-Replace` corrects what a plain fold holds at its version (an
 * event set aside, `rebuild --task`, `dead-letters retry`): the edge takes it in place of its own
 * status, and it reaches the subscribers even at the version they hold (status-replacement).
 */
export class StatusFanout {
  private readonly listeners = new Map<string, Set<StatusListener>>();
  /**
   * Watched tasks the edge let go of on a replacement after folding past it: the announcements up
   * to this version (what their subscribers may hold from the edge) replace, too.
   */
  private readonly correcting = new Map<string, number>();
  private subscription: Subscription | undefined;
  private readonly edge: EdgeFold | undefined;
  /** Statuses reach the mailboxes once the loop has read what is ready: a backlog is skipped. */
  private readonly coalescer: StatusCoalescer;
  private readonly nc: NatsConnection;
  private readonly logger: Logger;
  private readonly metrics: StatusFanoutDeps['metrics'];

  constructor(deps: StatusFanoutDeps) {
    ({ nc: this.nc, logger: this.logger, metrics: this.metrics } = deps);
    this.coalescer = new StatusCoalescer((status) => {
      for (const queue of this.listeners.get(status.taskId) ?? []) queue.push(status);
    }, deps.flushIntervalMs);
    if (deps.edgeFold === false) return;
    this.edge = new EdgeFold({
      js: deps.js,
      jsm: deps.jsm,
      logger: deps.logger,
      limits: deps.edgeLimits,
      isWatched: (taskId) => this.listeners.has(taskId),
      onStatus: (status) => this.deliver(status, 'edge'),
      onGap: () => {
        this.metrics.edgeGaps.inc();
        this.nudgeAll();
      },
    });
  }

  async start(): Promise<void> {
    this.subscription = this.nc.subscribe(subjects.allStatus, {
      callback: (error, msg) => {
        if (error) return this.logger.error({ err: error }, 'status subscription failed');
        this.dispatch(msg);
      },
    });
    void this.resyncOnReconnect();
    await this.edge?.start();
  }

  /** The task's status on this process's edge fold, when it has one (no database read). */
  edgeStatus(taskId: string): TaskStatus | undefined {
    return this.edge?.current(taskId);
  }

  /**
   * Offers the edge a projected status read with the checkpoint it is complete through (and the
   * creation time of the stream that checkpoint belongs to); returns the edge's (possibly newer)
   * status when the edge can fold the task from there.
   */
  foundOnEdge(
    taskId: string,
    projected: TaskStatus | undefined,
    coveredThrough: number | null,
    streamCreatedAt: Date | null,
  ): TaskStatus | undefined {
    if (coveredThrough === null || streamCreatedAt === null) return undefined;
    return this.edge?.found(taskId, projected, coveredThrough, streamCreatedAt)?.status;
  }

  get edgeStats() {
    return this.edge?.stats;
  }

  /** Registers a mailbox for one task. Call before reading the snapshot so nothing falls between. */
  listen(taskId: string): LatestQueue {
    const queue = new LatestQueue();
    this.attach(taskId, queue);
    return queue;
  }

  unlisten(taskId: string, queue: LatestQueue): void {
    queue.close();
    this.detach(taskId, queue);
  }

  /** Pushes the task's statuses to `listener` from now on. Attach before reading a snapshot. */
  attach(taskId: string, listener: StatusListener): void {
    let set = this.listeners.get(taskId);
    if (!set) this.listeners.set(taskId, (set = new Set()));
    set.add(listener);
  }

  detach(taskId: string, listener: StatusListener): void {
    const set = this.listeners.get(taskId);
    set?.delete(listener);
    if (set?.size !== 0) return;
    this.listeners.delete(taskId);
    this.correcting.delete(taskId);
  }

  get taskCount(): number {
    return this.listeners.size;
  }

  async stop(): Promise<void> {
    for (const set of this.listeners.values()) for (const q of set) q.close();
    this.listeners.clear();
    this.correcting.clear();
    this.coalescer.clear();
    this.subscription?.unsubscribe();
    await this.edge?.stop();
  }

  private deliver(status: TaskStatus, source: 'edge' | 'projector'): void {
    const set = this.listeners.get(status.taskId);
    if (source === 'edge') this.metrics.edgeStatuses.inc({ outcome: set ? 'delivered' : 'unwatched' });
    if (set) this.coalescer.offer(status);
  }

  private nudgeAll(): void {
    for (const set of this.listeners.values()) for (const q of set) q.nudge();
  }

  private dispatch(msg: Msg): void {
    const { subject } = msg;
    const target = parseStatusSubject(subject);
    // A replacement is read even unwatched: the edge must not keep, and later serve, what it corrects.
    const replacing = msg.headers?.get(STATUS_REPLACE_HEADER) === '1';
    const set = target && this.listeners.get(target.taskId);
    if (!target || (!set && !replacing)) return void this.metrics.natsStatusReceived.inc({ outcome: 'unwatched' });
    const version = Number(msg.headers?.get(STATUS_VERSION_HEADER) || Number.NaN);
    const correcting = this.correcting.size > 0 ? this.correcting.get(target.taskId) : undefined;
    if (!replacing && correcting === undefined) {
      // The edge folds the same stream: once it holds this version, the body says nothing new.
      const held = this.edge?.current(target.taskId)?.version;
      if (held !== undefined && version <= held) return void this.metrics.natsStatusReceived.inc({ outcome: 'held' });
    }
    let json: unknown;
    try {
      json = JSON.parse(msg.string());
    } catch {
      json = undefined;
    }
    const parsed = TaskStatusSchema.safeParse(json);
    if (!parsed.success || parsed.data.taskId !== target.taskId) {
      this.metrics.natsStatusReceived.inc({ outcome: 'invalid' });
      return this.logger.warn({ subject }, 'ignored a malformed status message');
    }
    let status = parsed.data;
    if (correcting !== undefined) {
      if (status.version >= correcting) this.correcting.delete(target.taskId);
      if (status.version <= correcting) status = asReplacement(status);
    }
    if (replacing) {
      status = asReplacement(status);
      const { droppedThrough } = this.edge?.replace(status) ?? { droppedThrough: undefined };
      if (set && droppedThrough !== undefined && droppedThrough > status.version)
        this.correcting.set(target.taskId, droppedThrough);
    }
    if (!set) return void this.metrics.natsStatusReceived.inc({ outcome: 'unwatched' });
    this.metrics.natsStatusReceived.inc({ outcome: 'delivered' });
    this.deliver(status, 'projector');
  }

  /** Core NATS drops what was published while we were disconnected: have every reader re-read. */
  private async resyncOnReconnect(): Promise<void> {
    for await (const s of this.nc.status()) {
      if (s.type !== 'reconnect') continue;
      this.logger.info('NATS reconnected: resyncing live subscriptions');
      this.nudgeAll();
    }
  }
}
