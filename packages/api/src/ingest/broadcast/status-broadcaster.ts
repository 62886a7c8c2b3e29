import type { ApiServices } from '../../context';
import { readLiveStatus } from '../read-live-status';
import { onReadError } from '../watch-status';
import type { StatusSubscriber } from './status-subscriber';
import { TaskBroadcast } from './task-broadcast';

type Deps = Pick<ApiServices, 'db' | 'nats' | 'config' | 'metrics' | 'logger'>;

/**
 * The live WebSocket subscriptions of one web process, grouped per task: each task with
 * subscribers is one listener on the fan-out (`TaskBroadcast`), which writes every status to its
 * subscribers' sockets. See docs/decisions.md, "Status subscriptions served beside tRPC's handler".
 */
export class StatusBroadcaster {
  private readonly tasks = new Map<string, TaskBroadcast>();

  constructor(private readonly deps: Deps) {}

  subscribe(taskId: string, subscriber: StatusSubscriber): void {
    let task = this.tasks.get(taskId);
    if (!task) {
      task = this.open(taskId);
      this.tasks.set(taskId, task);
      // Listening before the first read: a status announced in between is pushed, not lost.
      this.deps.nats.fanout.attach(taskId, task);
    }
    task.add(subscriber);
  }

  unsubscribe(taskId: string, subscriber: StatusSubscriber): void {
    this.tasks.get(taskId)?.remove(subscriber);
  }

  get taskCount(): number {
    return this.tasks.size;
  }

  private open(taskId: string): TaskBroadcast {
    const { deps } = this;
    return new TaskBroadcast(taskId, {
      readStatus: (id) => readLiveStatus(deps, id),
      resyncMs: deps.config.STATUS_RESYNC_MS,
      onReadError: (id, error, failures) => onReadError(deps, id, error, failures),
      onSent: (frames) => {
        if (frames > 0) deps.metrics.messagesSent.inc(frames);
      },
      onIdle: (task) => {
        if (this.tasks.get(taskId) === task) this.tasks.delete(taskId);
        deps.nats.fanout.detach(taskId, task);
      },
    });
  }
}
