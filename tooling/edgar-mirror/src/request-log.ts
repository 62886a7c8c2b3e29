import { appendFileSync } from 'node:fs';

export type MirrorRequest = {
  /** Milliseconds since the epoch when the request arrived. */
  time: number;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  /** Which injected fault shaped the answer, if any. */
  fault?: 'status' | 'delay' | 'truncate';
};

export type RequestLog = {
  record(entry: MirrorRequest): void;
  entries(): MirrorRequest[];
  clear(): void;
};

/**
 * Keeps every request in memory for assertions and, when given a file, appends it as JSONL.
 * The append is synchronous on purpose: a test mirror sees a few requests a second, and a line
 * that is on disk before the response reaches the client is one a test can rely on reading.
 */
export function createRequestLog(logFile?: string): RequestLog {
  let entries: MirrorRequest[] = [];
  return {
    record(entry) {
      entries.push(entry);
      if (logFile) appendFileSync(logFile, `${JSON.stringify(entry)}\n`);
    },
    entries: () => [...entries],
    clear() {
      entries = [];
    },
  };
}
