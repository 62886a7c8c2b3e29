import { isTerminal, type TaskStatus } from '@symbology/contracts';
import { supersedes } from '../status-replacement';
import { statusFrame, statusUpdate } from '../status-wire';

/** Where a subscriber's frames go: its WebSocket, seen through what the broadcast needs of it. */
export interface StatusSink {
  /** More is queued on the connection than it should hold: skip to the newest status later. */
  readonly congested: boolean;
  /** One text frame (UTF-8 JSON). */
  write(frame: Buffer): void;
}

export type SubscriberEnd = 'terminal' | 'not-found';

/**
 * One live subscription of a task: its socket, the frame prefix carrying its subscription id,
 * and the last status it was sent (deltas are computed from it, and a version at or below it is
 * never sent again).
 */
export class StatusSubscriber {
  private sentVersion: number;
  private sent: TaskStatus | undefined;
  private reachedEnd = false;

  /** `resumeAfter`: the version the client already holds (tRPC's lastEventId), -1 for none. */
  constructor(
    private readonly sink: StatusSink,
    private readonly framePrefix: string,
    resumeAfter: number,
    readonly onEnd: (end: SubscriberEnd) => void,
  ) {
    this.sentVersion = resumeAfter;
  }

  /**
   * Writes `status` when it is newer than what the client holds, or replaces the version it holds
   * (status-replacement): the whole status first (a resumed client too: its copy is not known
   * here), then deltas from the status sent (a replacement: a delta from that version to itself).
   * A congested socket is passed over ('behind') unless the status is terminal, which always goes.
   */
  offer(status: TaskStatus): 'sent' | 'skipped' | 'behind' {
    const terminal = isTerminal(status);
    if (!supersedes(status, this.sentVersion, this.sent)) {
      this.reachedEnd ||= terminal;
      return 'skipped';
    }
    if (!terminal && this.sink.congested) return 'behind';
    const update = statusUpdate(this.sent, status);
    // Bytes, not a string: the socket would otherwise encode the same JSON once per subscriber.
    this.sink.write(statusFrame(this.framePrefix, update, status.version));
    this.sentVersion = status.version;
    this.sent = status;
    this.reachedEnd = terminal;
    return 'sent';
  }

  /** The client holds the terminal state: the subscription is over. */
  get done(): boolean {
    return this.reachedEnd;
  }
}
