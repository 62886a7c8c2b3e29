import { prettyFactory } from 'pino-pretty';
import type { LogSink, Source } from './log-sink';

const COLORS: Record<Source, number> = {
  web: 36,
  ingestor: 35,
  projector: 33,
  nats: 34,
  mirror: 32,
  postgres: 90,
  build: 90,
  launcher: 37,
};

/** Prints each line with its source in front; pino JSON lines are made readable. */
export function terminalSink(out: NodeJS.WriteStream = process.stdout): LogSink {
  const tty = out.isTTY === true;
  const pretty = prettyFactory({ colorize: tty, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname,service' });
  const prettify = (line: string) => {
    try {
      return pretty(line);
    } catch {
      return line;
    }
  };
  return (source, line) => {
    const label = source.padEnd(9);
    const prefix = tty ? `\x1b[${COLORS[source]}m${label}\x1b[0m│ ` : `${label}│ `;
    const text = line.startsWith('{') ? prettify(line) : line;
    out.write(`${prefix}${text.trimEnd()}\n`);
  };
}
