import type { TaskStatus } from '@symbology/contracts';

/**
 * A per-subscriber mailbox that keeps only the newest status. Statuses are whole snapshots, so a
 * slow browser never needs the ones it missed: it skips to the latest, and memory stays bounded.
 */
export class LatestQueue {
  private latest: TaskStatus | undefined;
  private wake: (() => void) | undefined;
  private closed = false;

  push(status: TaskStatus): void {
    if (this.closed) return;
    if (this.latest && this.latest.version >= status.version) return;
    this.latest = status;
    this.wake?.();
  }

  /** Wakes the reader without a value: it re-reads the snapshot (a resync). */
  nudge(): void {
    this.wake?.();
  }

  close(): void {
    this.closed = true;
    this.wake?.();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Resolves with the newest unread status, or undefined on close, nudge or timeout. */
  async next(timeoutMs: number): Promise<TaskStatus | undefined> {
    if (!this.latest && !this.closed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
    const value = this.latest;
    this.latest = undefined;
    return value;
  }
}
