import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { LogSink, Source } from './log-sink';

/** One file per source, `<dir>/<prefix><source>.log`, as the e2e tests keep them beside their screenshots. */
export function fileSink(dir: string, prefix: string): LogSink & { close(): Promise<void> } {
  const files = new Map<Source, WriteStream>();
  const sink = (source: Source, line: string) => {
    let file = files.get(source);
    if (!file) {
      file = createWriteStream(join(dir, `${prefix}${source}.log`));
      files.set(source, file);
    }
    file.write(`${line}\n`);
  };
  const close = () =>
    Promise.all([...files.values()].map((f) => new Promise<void>((resolve) => f.end(() => resolve())))).then(() => {});
  return Object.assign(sink, { close });
}
