import type { ExtractionLimits } from './edgar/extraction/extraction-limits';
import type { CompanyFactsLimits } from './edgar/workers/facts-pool';
import type { Env } from './env';

/** Everything startIngestor needs, decoupled from process.env so tests can run it in-process. */
export type IngestorConfig = {
  nats: { servers: string; user: string; pass: string; name?: string };
  databaseUrl: string;
  edgar: {
    wwwUrl: string;
    dataUrl: string;
    userAgent: string;
    maxAttempts: number;
    retryBaseMs: number;
    timeoutMs: number;
    /** Primary documents only; unset, none is capped. */
    maxDocumentBytes?: number;
    /** companyfacts (read in a worker thread); unset, DEFAULT_MAX_JSON_BYTES. */
    maxJsonBytes?: number;
    /** The ticker map, submissions and their pages (parsed on the event loop); unset, DEFAULT_MAX_LIST_BYTES. */
    maxListBytes?: number;
  };
  /** Caps on cutting one document's sections; unset, DEFAULT_EXTRACTION_LIMITS. */
  extraction?: ExtractionLimits;
  /** Caps on reading one companyfacts (parse, validation, index); unset, DEFAULT_COMPANY_FACTS_LIMITS. */
  companyFacts?: CompanyFactsLimits;
  concurrency: number;
  /** Requests per second to EDGAR across every replica. */
  maxRps: number;
  /** Safety margin added to the one-second window (ms). */
  limiterMarginMs: number;
  /** Tests only: this replica's clock runs this far off (ms), to prove the limiter does not use it. */
  clockOffsetMs?: number;
  /** The ops server's port (/healthz, /readyz, /metrics); 0 for any free port. */
  httpPort: number;
  /** The interface it listens on; loopback when omitted. */
  host?: string;
  /** Reported by /healthz and /readyz; a fresh UUID when omitted. */
  instanceId?: string;
  ackWaitMs: number;
  maxDeliver: number;
  /** The durable's max_ack_pending: replicas x concurrency, with headroom. */
  maxAckPending: number;
  /** First nak delay of a task retry; doubles per delivery. */
  retryBaseMs: number;
  /** A delivery with no progress for this long is given up; 5 minutes when omitted. */
  stallMs?: number;
  /** How long a delivery may spend on its filings (companyfacts and documents); past it the documents left wait for a retry. Unset: none. */
  taskBudgetMs?: number;
  /** How long a delivery is held while Postgres does not answer; 15 minutes when omitted, 0 never. */
  outageHoldMs?: number;
  logLevel: Env['LOG_LEVEL'];
  /** The clock events and companies.checked_at take their time from; tests move it. */
  now?: () => Date;
};

export function configFromEnv(env: Env): IngestorConfig {
  return {
    nats: { servers: env.NATS_URL, user: env.NATS_USER, pass: env.NATS_PASSWORD },
    databaseUrl: env.DATABASE_URL,
    edgar: {
      wwwUrl: env.EDGAR_WWW_URL,
      dataUrl: env.EDGAR_DATA_URL,
      userAgent: env.SEC_USER_AGENT,
      maxAttempts: env.EDGAR_MAX_ATTEMPTS,
      retryBaseMs: env.EDGAR_RETRY_BASE_MS,
      timeoutMs: 30_000,
      maxDocumentBytes: env.EDGAR_MAX_DOCUMENT_BYTES,
      maxJsonBytes: env.EDGAR_MAX_JSON_BYTES,
      maxListBytes: env.EDGAR_MAX_LIST_BYTES,
    },
    extraction: {
      timeoutMs: env.EXTRACT_TIMEOUT_MS,
      maxMemoryMb: env.EXTRACT_MAX_MEMORY_MB,
      maxNestingDepth: env.EXTRACT_MAX_NESTING_DEPTH,
      maxTextChars: env.EXTRACT_MAX_TEXT_CHARS,
    },
    companyFacts: {
      timeoutMs: env.COMPANYFACTS_TIMEOUT_MS,
      maxMemoryMb: env.COMPANYFACTS_MAX_MEMORY_MB,
    },
    concurrency: env.INGEST_CONCURRENCY,
    maxRps: env.EDGAR_MAX_RPS,
    limiterMarginMs: 100,
    clockOffsetMs: env.SYMBOLOGY_TEST_CLOCK_OFFSET_MS,
    httpPort: env.HTTP_PORT,
    host: env.HOST,
    instanceId: env.SYMBOLOGY_INSTANCE_ID,
    ackWaitMs: env.INGEST_ACK_WAIT_MS,
    maxDeliver: env.INGEST_MAX_DELIVER,
    maxAckPending: env.INGEST_MAX_ACK_PENDING,
    retryBaseMs: env.INGEST_RETRY_BASE_MS,
    stallMs: env.INGEST_STALL_MS,
    taskBudgetMs: env.INGEST_TASK_BUDGET_MS,
    outageHoldMs: env.INGEST_OUTAGE_HOLD_MS,
    logLevel: env.LOG_LEVEL,
  };
}
