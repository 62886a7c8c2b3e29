import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/** Fields a per-message or per-request child logger carries, so one task's lines can be grepped. */
export type LogContext = { taskId?: string; correlationId?: string; seq?: number; accession?: string };

/** The ingestor's one logger; everything else logs through `logger.child(...)`. */
export function createLogger(level: LevelWithSilent = 'info'): Logger {
  return pino({
    name: 'ingestor',
    level,
    // Passwords travel in config objects; make sure they never reach a log line by accident.
    redact: { paths: ['*.password', '*.natsPassword', 'password', 'natsPassword'], censor: '[redacted]' },
  });
}

export function taskLogger(logger: Logger, context: LogContext): Logger {
  return logger.child(context);
}
