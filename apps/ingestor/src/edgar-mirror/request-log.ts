import { createWriteStream, type WriteStream } from 'node:fs';

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
  close(): Promise<void>;
};

/** Keeps every request in memory for assertions and, when given a file, appends it as JSONL. */
export function createRequestLog(logFile?: string): RequestLog {
  let entries: MirrorRequest[] = [];
  const file: WriteStream | undefined = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
  return {
    record(entry) {
      entries.push(entry);
      file?.write(`${JSON.stringify(entry)}\n`);
    },
    entries: () => [...entries],
    clear() {
      entries = [];
    },
    close: () => new Promise<void>((resolve) => (file ? file.end(resolve) : resolve())),
  };
}
