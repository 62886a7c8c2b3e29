import type { TaskStatus } from '@symbology/contracts';

/**
 * Holds the newest status per task until the event loop has read everything that is ready (the
 * edge's stream backlog, the projector's announcements), then hands them out at once, in the
 * loop's check phase (`setImmediate`).
 *
 * Without it each socket read of NATS woke every subscriber of the tasks it touched, and their
 * sends ran (as microtasks) before the next read: a web process behind the stream delivered
 * every step to every subscriber in lock-step with the reads, one chunk at a time, and with
 * 10,000 subscribers never reached the final states. Coalesced, a process that falls behind
 * skips to the newest status of each task, as the mailboxes were meant to let it.
 */
export class StatusCoalescer {
  private readonly held = new Map<string, TaskStatus>();
  private scheduled: NodeJS.Immediate | undefined;

  constructor(private readonly handOut: (status: TaskStatus) => void) {}

  offer(status: TaskStatus): void {
    const before = this.held.get(status.taskId);
    if (before && before.version >= status.version) return;
    this.held.set(status.taskId, status);
    this.scheduled ??= setImmediate(() => this.flush());
  }

  /** Drops what is held (the process is stopping). */
  clear(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    this.held.clear();
  }

  private flush(): void {
    this.scheduled = undefined;
    const statuses = [...this.held.values()];
    this.held.clear();
    for (const status of statuses) this.handOut(status);
  }
}
