import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { parseStatusSubject, subjects, TaskStatusSchema } from '@symbology/contracts';
import type { Logger } from 'pino';
import type { ApiMetrics } from '../metrics';
import { LatestQueue } from './latest-queue';

/**
 * One core NATS subscription on `status.>` per web process, fanned out to the local subscribers
 * of each task: a thousand browsers watching one task cost one NATS subscription, not a thousand.
 * Every web process sees every status (they are small and infrequent); a process with no local
 * subscriber for a task drops it after a map lookup.
 */
export class StatusFanout {
  private readonly listeners = new Map<string, Set<LatestQueue>>();
  private subscription: Subscription | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly logger: Logger,
    private readonly metrics: Pick<ApiMetrics, 'natsStatusReceived'>,
  ) {}

  start(): void {
    this.subscription = this.nc.subscribe(subjects.allStatus, {
      callback: (error, msg) => {
        if (error) return this.logger.error({ err: error }, 'status subscription failed');
        this.dispatch(msg.subject, msg.data);
      },
    });
    void this.resyncOnReconnect();
  }

  /** Registers a mailbox for one task. Call before reading the snapshot so nothing falls between. */
  listen(taskId: string): LatestQueue {
    const queue = new LatestQueue();
    let set = this.listeners.get(taskId);
    if (!set) this.listeners.set(taskId, (set = new Set()));
    set.add(queue);
    return queue;
  }

  unlisten(taskId: string, queue: LatestQueue): void {
    queue.close();
    const set = this.listeners.get(taskId);
    set?.delete(queue);
    if (set?.size === 0) this.listeners.delete(taskId);
  }

  get taskCount(): number {
    return this.listeners.size;
  }

  async stop(): Promise<void> {
    for (const set of this.listeners.values()) for (const q of set) q.close();
    this.listeners.clear();
    this.subscription?.unsubscribe();
  }

  private dispatch(subject: string, data: Uint8Array): void {
    const target = parseStatusSubject(subject);
    const set = target && this.listeners.get(target.taskId);
    if (!set) return void this.metrics.natsStatusReceived.inc({ outcome: 'unwatched' });
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(data));
    } catch {
      json = undefined;
    }
    const parsed = TaskStatusSchema.safeParse(json);
    if (!parsed.success || parsed.data.taskId !== target.taskId) {
      this.metrics.natsStatusReceived.inc({ outcome: 'invalid' });
      return this.logger.warn({ subject }, 'ignored a malformed status message');
    }
    this.metrics.natsStatusReceived.inc({ outcome: 'delivered' });
    for (const queue of set) queue.push(parsed.data);
  }

  /** Core NATS drops what was published while we were disconnected: have every reader re-read. */
  private async resyncOnReconnect(): Promise<void> {
    for await (const s of this.nc.status()) {
      if (s.type !== 'reconnect') continue;
      this.logger.info('NATS reconnected: resyncing live subscriptions');
      for (const set of this.listeners.values()) for (const q of set) q.nudge();
    }
  }
}
