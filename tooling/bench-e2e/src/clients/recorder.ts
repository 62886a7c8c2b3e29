import type { SubscriberRecord } from '../ipc/messages';

/** What one subscriber received, and when: the same bookkeeping for either system's client. */
export type Recorder = {
  readonly record: SubscriberRecord;
  /** The first state (the snapshot) arrived, or the subscription failed before it. */
  readonly ready: Promise<void>;
  /** The subscription ended: completed or failed. */
  readonly done: Promise<void>;
  receive(version: number, at: number): void;
  complete(): void;
  fail(error: unknown): void;
};

export type Subscriber = { recorder: Recorder; close(): Promise<void> };

export function createRecorder(task: string): Recorder {
  const record: SubscriberRecord = { task, versions: [], times: [], completed: false, error: null };
  let markReady = () => {};
  let markDone = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const done = new Promise<void>((resolve) => (markDone = resolve));
  const end = () => {
    markReady();
    markDone();
  };
  return {
    record,
    ready,
    done,
    receive(version, at) {
      record.versions.push(version);
      record.times.push(at);
      markReady();
    },
    complete() {
      record.completed = true;
      end();
    },
    fail(error) {
      if (record.completed) return;
      record.error ??= error instanceof Error ? error.message : String(error);
      end();
    },
  };
}
