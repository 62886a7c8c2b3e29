import { devNatsPassword } from '@symbology/contracts';
import { z } from 'zod';

const EnvSchema = z.object({
  SYMBOLOGY_URL: z.url().default('http://127.0.0.1:3000'),
  /** Derived from SYMBOLOGY_URL when unset: same host, path /api/trpc-ws. */
  SYMBOLOGY_WS_URL: z.url().optional(),
  NATS_URL: z.string().default('nats://127.0.0.1:4333'),
  NATS_USER: z.string().default('subscriber'),
  NATS_PASSWORD: z.string().default(devNatsPassword('subscriber')),
});
export type CliEnv = z.infer<typeof EnvSchema> & { SYMBOLOGY_WS_URL: string };

export function parseCliEnv(env: NodeJS.ProcessEnv = process.env): CliEnv {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`bad environment: ${z.prettifyError(parsed.error)}`);
  const api = new URL(parsed.data.SYMBOLOGY_URL);
  const ws = parsed.data.SYMBOLOGY_WS_URL ?? `${api.protocol === 'https:' ? 'wss' : 'ws'}://${api.host}/api/trpc-ws`;
  return { ...parsed.data, SYMBOLOGY_WS_URL: ws };
}
