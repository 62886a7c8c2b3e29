import type { TaskStatus } from '@symbology/contracts';
import { backoffDelay } from '@symbology/service';
import type { StatusListener } from '../status-fanout';
import { supersedes } from '../status-replacement';
import { READ_RETRY } from '../watch-status';
import type { StatusSubscriber, SubscriberEnd } from './status-subscriber';

export type TaskBroadcastDeps = {
  /** The task's live status (the edge fold, else Postgres); undefined for an unknown task. */
  readStatus(taskId: string): Promise<TaskStatus | undefined>;
  /** Re-read this often, in case a core NATS announcement was lost (at-most-once). */
  resyncMs: number;
  onReadError(taskId: string, error: unknown, failures: number): void;
  /** Counts the frames written per round. */
  onSent(frames: number): void;
  /** The last subscriber left: stop feeding this broadcast. */
  onIdle(task: TaskBroadcast): void;
};

/** A congested socket is offered the newest status again this long after it was passed over. */
const BEHIND_RETRY_MS = 50;
/**
 * A subscriber joining a task read longer ago than this gets the status held at once and has the
 * task read again (a burst of joins shares one read), so a lost announcement does not reach it
 * only at the next resync.
 */
const FRESH_READ_MS = 1_000;

/**
 * The subscribers of one task on this process, fed by the fan-out (it is the task's one
 * listener, whatever the number of subscribers). Each status is offered to every subscriber
 * synchronously: the update and its frame are computed once per (version sent, new version),
 * so a subscriber costs a small buffer concatenation and a socket write, with no iterator,
 * promise or envelope of its own. The task is read when it gets its first subscriber, when one
 * joins after FRESH_READ_MS, every `resyncMs` and on a nudge: per task, not per subscriber.
 */
export class TaskBroadcast implements StatusListener {
  private latest: TaskStatus | undefined;
  private readonly subscribers = new Set<StatusSubscriber>();
  private readonly behind = new Set<StatusSubscriber>();
  private readStarted = false;
  private lastReadAt = 0;
  private reading = false;
  private rereadAsked = false;
  private failures = 0;
  private readTimer: NodeJS.Timeout | undefined;
  private behindTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    readonly taskId: string,
    private readonly deps: TaskBroadcastDeps,
  ) {}

  /** A new subscriber gets the newest status at once, or when the first read returns. */
  add(subscriber: StatusSubscriber): void {
    this.subscribers.add(subscriber);
    if (this.latest) this.deps.onSent(this.deliver(subscriber, this.latest));
    if (!this.readStarted || (this.latest && performance.now() - this.lastReadAt > FRESH_READ_MS)) this.read();
  }

  /** The subscriber left (stopped, or its socket closed). */
  remove(subscriber: StatusSubscriber): void {
    this.subscribers.delete(subscriber);
    this.behind.delete(subscriber);
    if (this.subscribers.size === 0 && !this.closed) {
      this.close();
      this.deps.onIdle(this);
    }
  }

  push(status: TaskStatus): void {
    if (this.closed || (this.latest && !supersedes(status, this.latest.version, this.latest))) return;
    this.latest = status;
    let frames = 0;
    for (const subscriber of this.subscribers) frames += this.deliver(subscriber, status);
    this.deps.onSent(frames);
  }

  nudge(): void {
    this.read();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.readTimer);
    clearTimeout(this.behindTimer);
  }

  /** Offers one subscriber a status; returns the frames written (0 or 1). */
  private deliver(subscriber: StatusSubscriber, status: TaskStatus): number {
    const outcome = subscriber.offer(status);
    if (outcome === 'behind') {
      this.behind.add(subscriber);
      this.behindTimer ??= setTimeout(() => this.retryBehind(), BEHIND_RETRY_MS);
    }
    if (subscriber.done) this.end(subscriber, 'terminal');
    return outcome === 'sent' ? 1 : 0;
  }

  private retryBehind(): void {
    this.behindTimer = undefined;
    const waiting = [...this.behind];
    this.behind.clear();
    let frames = 0;
    if (this.latest) for (const subscriber of waiting) frames += this.deliver(subscriber, this.latest);
    this.deps.onSent(frames);
  }

  private end(subscriber: StatusSubscriber, end: SubscriberEnd): void {
    this.remove(subscriber);
    subscriber.onEnd(end);
  }

  /** One read at a time; a nudge meanwhile reads again once it returns. */
  private read(): void {
    if (this.closed) return;
    if (this.reading) return void (this.rereadAsked = true);
    clearTimeout(this.readTimer);
    this.reading = this.readStarted = true;
    this.rereadAsked = false;
    this.deps
      .readStatus(this.taskId)
      .then((status) => {
        this.failures = 0;
        this.lastReadAt = performance.now();
        if (status) this.push(status);
        else if (!this.latest) for (const subscriber of [...this.subscribers]) this.end(subscriber, 'not-found');
      })
      // A failed read, or (should one ever throw) a failed hand-out: logged and read again, never
      // an unhandled rejection.
      .catch((error: unknown) => {
        this.failures++;
        this.deps.onReadError(this.taskId, error, this.failures);
      })
      .finally(() => {
        this.reading = false;
        if (this.closed) return;
        if (this.rereadAsked && this.failures === 0) return this.read();
        // A failed read is retried sooner than the periodic resync.
        const waitMs = this.failures > 0 ? backoffDelay(this.failures, READ_RETRY) : this.deps.resyncMs;
        this.readTimer = setTimeout(() => this.read(), waitMs);
      });
  }
}
