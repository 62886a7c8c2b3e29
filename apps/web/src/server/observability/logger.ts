import { createServiceLogger, type LevelWithSilent, type Logger } from '@symbology/service';

export type { Logger };

/** The app's one logger; per-request children carry clientId, taskId, path. */
export function createLogger(level: LevelWithSilent): Logger {
  return createServiceLogger({ name: 'web', level });
}
