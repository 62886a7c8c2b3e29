import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { prettyFactory } from 'pino-pretty';

const COLORS = { web: 36, ingestor: 35, projector: 33, nats: 34, mirror: 32, postgres: 90, launcher: 37 } as const;
export type ServiceName = keyof typeof COLORS;

const pretty = prettyFactory({
  colorize: process.stdout.isTTY,
  translateTime: 'HH:MM:ss.l',
  ignore: 'pid,hostname,service',
});

function prefix(name: ServiceName): string {
  const label = name.padEnd(9);
  return process.stdout.isTTY ? `\x1b[${COLORS[name]}m${label}\x1b[0m│ ` : `${label}│ `;
}

/** Prints a service's output with its name in front; pino JSON lines are made readable. */
export function pipeLines(
  name: ServiceName,
  stream: Readable | null,
  keep: (line: string) => boolean = () => true,
): void {
  if (!stream) return;
  const lines = createInterface({ input: stream });
  lines.on('line', (line) => {
    if (!keep(line)) return;
    const text = line.startsWith('{') ? safePretty(line) : line;
    process.stdout.write(`${prefix(name)}${text.trimEnd()}\n`);
  });
}

function safePretty(line: string): string {
  try {
    return pretty(line);
  } catch {
    return line;
  }
}

export function say(message: string): void {
  process.stdout.write(`${prefix('launcher')}${message}\n`);
}
