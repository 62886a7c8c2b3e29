import { pino, type Logger } from 'pino';

export type { Logger };

/** The app's one logger; per-request children carry clientId, taskId, path. */
export function createLogger(level: string): Logger {
  return pino({ name: 'web', level, redact: ['password', '*.password', 'NATS_PASSWORD'] });
}
