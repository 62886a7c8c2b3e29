import { devNatsPassword } from '@symbology/contracts';
import { z } from 'zod';

const LogLevelSchema = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export const EnvSchema = z.object({
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4333'),
  NATS_USER: z.string().min(1).default('projector'),
  NATS_PASSWORD: z.string().min(1).default(devNatsPassword('projector')),
  DATABASE_URL: z.string().min(1).default('postgres://postgres@127.0.0.1:5432/symbology'),
  HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(9102),
  /** Most events folded and committed in one transaction. */
  PROJECTOR_BATCH_SIZE: z.coerce.number().int().min(1).max(50_000).default(2_000),
  LOG_LEVEL: LogLevelSchema.default('info'),
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
