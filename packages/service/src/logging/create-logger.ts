import { pino, type DestinationStream, type LevelWithSilent, type Logger } from 'pino';

export type { Logger, LevelWithSilent };

/**
 * Where passwords travel: connection options (`pass`), config objects (`password`,
 * `natsPassword`) and parsed env (`NATS_PASSWORD`), at the top level or one object down.
 * Redacted so that logging a config by accident never leaks a secret.
 */
export const REDACTED_PATHS = ['password', 'pass', 'natsPassword', 'NATS_PASSWORD'].flatMap((key) => [key, `*.${key}`]);

export type ServiceLoggerOptions = {
  /** The service, as `name` on every line: `web`, `ingestor`, `projector`. */
  name: string;
  level?: LevelWithSilent;
  /**
   * 1 (stdout, the default: services log JSON there), 2 (stderr, for a CLI whose stdout carries
   * its output), or a stream (tests).
   */
  destination?: 1 | 2 | DestinationStream;
};

/** A service's one logger; everything else logs through `logger.child({ taskId, ... })`. */
export function createServiceLogger({ name, level = 'info', destination = 1 }: ServiceLoggerOptions): Logger {
  const options = { name, level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  if (destination === 1) return pino(options);
  if (destination === 2) return pino(options, pino.destination({ fd: 2, sync: true }));
  return pino(options, destination);
}
