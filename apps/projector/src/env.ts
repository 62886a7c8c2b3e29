import { databaseEnv, instanceEnv, logLevelEnv, natsEnv, opsEnv } from '@symbology/service';
import { z } from 'zod';
import { PROJECTOR_DEFAULTS as DEFAULTS } from './defaults';

export const EnvSchema = z.object({
  ...natsEnv('projector'),
  ...databaseEnv,
  ...logLevelEnv,
  ...opsEnv(9102),
  ...instanceEnv,
  /** Most events folded and committed in one transaction. */
  PROJECTOR_BATCH_SIZE: z.coerce.number().int().min(1).max(50_000).default(DEFAULTS.batchSize),
  /** How long a batch that is not full waits for more events; 0 commits at once (see LiveProjectorDeps.lingerMs). */
  PROJECTOR_BATCH_LINGER_MS: z.coerce.number().int().min(0).max(1_000).default(DEFAULTS.lingerMs),
  /** Tries at one event the database refuses (data error by SQLSTATE) before it becomes a dead letter. */
  PROJECTOR_POISON_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(DEFAULTS.poisonAttempts),
  /** Most sequences the reorder buffer holds ahead of the checkpoint; the rest are nak'd and come back. */
  PROJECTOR_REORDER_MAX: z.coerce.number().int().min(100).default(20_000),
  /** `/readyz` fails when the checkpoint has not moved for this long while the stream holds more. */
  PROJECTOR_STALL_MS: z.coerce.number().int().min(1_000).default(DEFAULTS.stallMs),
  /** Worker threads a rebuild parses and folds in; 0 folds on the main thread; unset: cores - 1, at least 1. */
  PROJECTOR_REBUILD_WORKERS: z.coerce.number().int().min(0).max(64).optional(),
});
export type Env = z.infer<typeof EnvSchema>;

/** Parses the environment once; the only place in the app that reads process.env. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    throw new Error(`invalid projector environment:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
