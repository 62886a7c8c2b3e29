import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/**
 * The app's one logger. Services log JSON to stdout; the CLI passes fd 2 so that its stdout
 * carries only the command's output.
 */
export function createLogger(level: LevelWithSilent = 'info', fd: 1 | 2 = 1): Logger {
  const options = { name: 'projector', level };
  return fd === 1 ? pino(options) : pino(options, pino.destination({ fd, sync: true }));
}
