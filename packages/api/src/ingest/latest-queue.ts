import type { TaskStatus } from '@symbology/contracts';
import { supersedes } from './status-replacement';

/** What a reader takes from the mailbox: the newest unread status, and whether to re-read the task. */
export type MailboxTake = { status: TaskStatus | undefined; reread: boolean };

/**
 * A per-subscriber mailbox that keeps only the newest status. Statuses are whole snapshots, so a
 * slow browser never needs the ones it missed: it skips to the latest, and memory stays bounded.
 * A nudge (re-read the task: NATS reconnected, the edge lost events) is kept until the reader
 * takes it, even when it comes while the reader is busy elsewhere.
 */
export class LatestQueue {
  private latest: TaskStatus | undefined;
  /** The newest status pushed, read or not. */
  private newest: TaskStatus | undefined;
  private rereadAsked = false;
  private wake: (() => void) | undefined;
  private closed = false;

  /**
   * Keeps `status` if it is newer than anything pushed before, read or not: the same version
   * arrives twice (the edge fold, then the projector's announcement) and must not wake the
   * reader again for nothing; only a replacement of that version does (see status-replacement).
   */
  push(status: TaskStatus): void {
    if (this.closed || !supersedes(status, this.newest?.version ?? -1, this.newest)) return;
    this.newest = status;
    this.latest = status;
    this.wake?.();
  }

  /** Asks the reader to re-read the task (a resync). */
  nudge(): void {
    if (this.closed) return;
    this.rereadAsked = true;
    this.wake?.();
  }

  close(): void {
    this.closed = true;
    this.wake?.();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Waits for a status, a nudge, close or the timeout. `reread` is true after a nudge or the
   * timeout (the periodic resync); `status` is the newest unread push, if any.
   */
  async next(timeoutMs: number): Promise<MailboxTake> {
    let timedOut = false;
    if (!this.latest && !this.rereadAsked && !this.closed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timedOut = true;
          resolve();
        }, timeoutMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
    const take = { status: this.latest, reread: !this.closed && (timedOut || this.rereadAsked) };
    this.latest = undefined;
    this.rereadAsked = false;
    return take;
  }
}
