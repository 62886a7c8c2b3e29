import { createServiceLogger, type LevelWithSilent, type Logger } from '@symbology/service';

export type { Logger };

/** Fields a per-message or per-request child logger carries, so one task's lines can be grepped. */
export type LogContext = { taskId?: string; correlationId?: string; seq?: number; accession?: string };

/** The ingestor's one logger; everything else logs through `logger.child(...)`. */
export function createLogger(level: LevelWithSilent = 'info'): Logger {
  return createServiceLogger({ name: 'ingestor', level });
}

export function taskLogger(logger: Logger, context: LogContext): Logger {
  return logger.child(context);
}
