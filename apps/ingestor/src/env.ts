import { databaseEnv, instanceEnv, logLevelEnv, natsEnv, opsEnv } from '@symbology/service';
import { z } from 'zod';
import { DEFAULT_OUTAGE_HOLD_MS } from './consumer/outage-hold';
import { DEFAULT_STALL_MS } from './consumer/stall-watch';
import { DEFAULT_MAX_JSON_BYTES, DEFAULT_MAX_LIST_BYTES } from './edgar/edgar-client';
import { edgarUserAgentRequired, EdgarConfigSchema } from './edgar/edgar-config';
import { DEFAULT_COMPANY_FACTS_LIMITS } from './edgar/workers/facts-pool';

/** SEC's fair-access ceiling; only a local mirror may be asked for more. */
export const SEC_MAX_RPS = 10;

const EnvSchema = z.object({
  ...natsEnv('ingestor'),
  ...databaseEnv,
  ...logLevelEnv,
  ...opsEnv(9101),
  ...instanceEnv,
  EDGAR_WWW_URL: z.url().default('https://www.sec.gov'),
  EDGAR_DATA_URL: z.url().default('https://data.sec.gov'),
  SEC_USER_AGENT: z.string().trim().optional(),
  INGEST_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  EDGAR_MAX_RPS: z.coerce.number().int().min(1).max(10_000).default(SEC_MAX_RPS),
  // Tuning knobs the tests turn down. A short ack window (heartbeats keep a live holder's delivery)
  // is what brings a crashed replica's task back in seconds (docs/operations.md, Recovery times).
  INGEST_ACK_WAIT_MS: z.coerce.number().int().min(1_000).default(10_000),
  INGEST_MAX_ACK_PENDING: z.coerce.number().int().min(1).max(10_000).default(64),
  INGEST_MAX_DELIVER: z.coerce.number().int().min(1).max(100).default(5),
  INGEST_RETRY_BASE_MS: z.coerce.number().int().min(0).default(5_000),
  // A delivery with no EDGAR answer and no event for this long is stuck, not slow (stall-watch.ts).
  INGEST_STALL_MS: z.coerce.number().int().min(1_000).default(DEFAULT_STALL_MS),
  // A task's documents may take this long in one delivery; the rest is left for a retry, so a slow
  // EDGAR does not hold the slot from the tasks queued behind it (a hung document costs ~2 min).
  INGEST_TASK_BUDGET_MS: z.coerce.number().int().min(1_000).default(180_000),
  // While Postgres is down a task waits for it, in the same delivery, up to this long (outage-hold.ts); 0: never.
  INGEST_OUTAGE_HOLD_MS: z.coerce.number().int().min(0).default(DEFAULT_OUTAGE_HOLD_MS),
  EDGAR_RETRY_BASE_MS: z.coerce.number().int().min(0).default(500),
  EDGAR_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(4),
  // Tests only: skews this replica's clock (ms) to prove the shared limiter judges on the server's.
  SYMBOLOGY_TEST_CLOCK_OFFSET_MS: z.coerce.number().int().default(0),
  // What one primary document may cost (docs/configuration.md): hostile input must not pin the ingestor.
  EDGAR_MAX_DOCUMENT_BYTES: z.coerce
    .number()
    .int()
    .min(1_024)
    .default(64 * 1024 * 1024),
  // What one EDGAR JSON response may unpack to (companyfacts is the biggest, tens of MB at most).
  EDGAR_MAX_JSON_BYTES: z.coerce.number().int().min(1_024).default(DEFAULT_MAX_JSON_BYTES),
  EDGAR_MAX_LIST_BYTES: z.coerce.number().int().min(1_024).default(DEFAULT_MAX_LIST_BYTES),
  EXTRACT_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  EXTRACT_MAX_MEMORY_MB: z.coerce.number().int().min(32).default(512),
  EXTRACT_MAX_NESTING_DEPTH: z.coerce.number().int().min(16).default(1_000),
  EXTRACT_MAX_TEXT_CHARS: z.coerce.number().int().min(10_000).default(10_000_000),
  // What reading one companyfacts may cost in its worker thread: past it, only the facts part is lost.
  COMPANYFACTS_TIMEOUT_MS: z.coerce.number().int().min(100).default(DEFAULT_COMPANY_FACTS_LIMITS.timeoutMs),
  COMPANYFACTS_MAX_MEMORY_MB: z.coerce.number().int().min(64).default(DEFAULT_COMPANY_FACTS_LIMITS.maxMemoryMb),
});
export type Env = Omit<z.output<typeof EnvSchema>, 'SEC_USER_AGENT'> & { SEC_USER_AGENT: string };

export class EnvError extends Error {
  override readonly name = 'EnvError';
}

/**
 * Parses the ingestor's environment once at boot. Refuses to start rather than talk to SEC
 * anonymously or faster than its fair-access policy allows: SEC blocks the operator's IP for that.
 */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) throw new EnvError(`Invalid ingestor environment:\n${z.prettifyError(parsed.error)}`);
  const env = parsed.data;
  const edgar = EdgarConfigSchema.safeParse({
    wwwUrl: env.EDGAR_WWW_URL,
    dataUrl: env.EDGAR_DATA_URL,
    userAgent: env.SEC_USER_AGENT,
  });
  if (!edgar.success) {
    throw new EnvError(
      `SEC_USER_AGENT is required to talk to SEC (${env.EDGAR_DATA_URL}): ${edgar.error.issues.map((i) => i.message).join('; ')}`,
    );
  }
  if (edgarUserAgentRequired(env.EDGAR_WWW_URL, env.EDGAR_DATA_URL) && env.EDGAR_MAX_RPS > SEC_MAX_RPS) {
    throw new EnvError(
      `EDGAR_MAX_RPS=${env.EDGAR_MAX_RPS} exceeds SEC's fair-access limit of ${SEC_MAX_RPS} requests per second; only a local mirror may be asked for more`,
    );
  }
  return { ...env, SEC_USER_AGENT: edgar.data.userAgent };
}
