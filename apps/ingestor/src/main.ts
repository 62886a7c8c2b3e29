import { configFromEnv } from './config';
import { EnvError, parseEnv } from './env';
import { startIngestor } from './ingestor';
import { createLogger } from './logger';

let env;
try {
  env = parseEnv();
} catch (error) {
  // A configuration mistake: say what to fix, no stack trace.
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(2);
}

const logger = createLogger(env.LOG_LEVEL);
const ingestor = await startIngestor(configFromEnv(env), logger).catch((error: unknown) => {
  logger.fatal({ err: error }, 'ingestor failed to start');
  process.exit(1);
});

let signalled = false;
const shutdown = (signal: NodeJS.Signals) => {
  if (signalled) return;
  signalled = true;
  logger.info({ signal }, 'shutting down: finishing in-flight tasks');
  ingestor.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    },
  );
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
