import { EXIT_NEEDS_OPERATOR } from '@symbology/service/exit-codes';
import { loadEnv } from './env';
import { CheckpointMismatchError, SchemaError, StreamMissingError } from './errors';
import { createLogger } from './logger';
import { startProjector } from './start-projector';

// Boot: environment, connections, checks that fail with a message an operator can act on, then
// the projector and its ops server until SIGTERM / SIGINT.
const env = loadEnv();
const logger = createLogger(env.LOG_LEVEL);

const projector = await startProjector({
  natsUrl: env.NATS_URL,
  natsUser: env.NATS_USER,
  natsPassword: env.NATS_PASSWORD,
  databaseUrl: env.DATABASE_URL,
  batchSize: env.PROJECTOR_BATCH_SIZE,
  lingerMs: env.PROJECTOR_BATCH_LINGER_MS,
  poisonAttempts: env.PROJECTOR_POISON_ATTEMPTS,
  stallMs: env.PROJECTOR_STALL_MS,
  reorderCapacity: env.PROJECTOR_REORDER_MAX,
  httpPort: env.HTTP_PORT,
  host: env.HOST,
  instanceId: env.SYMBOLOGY_INSTANCE_ID,
  logger,
}).catch((error: unknown) => {
  const known =
    error instanceof StreamMissingError || error instanceof CheckpointMismatchError || error instanceof SchemaError;
  logger.fatal({ err: error }, known ? error.message : 'projector could not start');
  // Also plain on stderr: this is the line an operator reads when the service will not come up.
  console.error(`symbology-projector: ${known ? error.message : String(error)}`);
  process.exit(known ? EXIT_NEEDS_OPERATOR : 1);
});
logger.info({ httpPort: projector.httpPort }, 'projector started');

projector.done.then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`symbology-projector: ${error instanceof Error ? error.message : String(error)}`);
    // INGEST recreated under the running projector: the state it refuses to start in, same exit code.
    process.exit(error instanceof CheckpointMismatchError ? EXIT_NEEDS_OPERATOR : 1);
  },
);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'draining');
    void projector.stop().then(() => process.exit(0));
  });
}
