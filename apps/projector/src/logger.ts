import { createServiceLogger, type LevelWithSilent, type Logger } from '@symbology/service';

export type { Logger };

/**
 * The app's one logger. Services log JSON to stdout; the CLI passes fd 2 so that its stdout
 * carries only the command's output.
 */
export function createLogger(level: LevelWithSilent = 'info', fd: 1 | 2 = 1): Logger {
  return createServiceLogger({ name: 'projector', level, destination: fd });
}
