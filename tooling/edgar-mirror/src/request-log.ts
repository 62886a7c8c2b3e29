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

/**
 * The most requests any `windowMs` window holds (times in ms): what the tests check SEC's fair-access
 * limit against in the mirror's log.
 */
export function maxInAnyWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let from = 0;
  for (let to = 0; to < sorted.length; to++) {
    while ((sorted[to] ?? 0) - (sorted[from] ?? 0) >= windowMs) from++;
    best = Math.max(best, to - from + 1);
  }
  return best;
}
