import type { IngestEventType } from './events/ingest-events';

/** The one stream every ingestion event lives on. */
export const INGEST_STREAM = 'INGEST';
export const INGEST_SUBJECTS = 'ingest.>';

/** Durable consumers, named here so operators and code agree. */
export const INGESTOR_CONSUMER = 'ingestor';
export const TASK_STATUS_PROJECTION = 'task-status-v1';

/**
 * The server's advisories that a request of the `ingestor` durable ran out of deliveries, kept on a
 * stream of their own: an advisory is core NATS, lost when no ingestor is connected as it fires.
 */
export const INGEST_ADVISORIES_STREAM = 'INGEST_ADVISORIES';
export const INGESTOR_MAX_DELIVERIES_SUBJECT = `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${INGEST_STREAM}.${INGESTOR_CONSUMER}`;
/** The ingestor's durable on INGEST_ADVISORIES: it ends each task whose request ran out. */
export const MAX_DELIVERIES_CONSUMER = 'ingestor-max-deliveries';

/** KV buckets. */
export const EDGAR_LIMITER_BUCKET = 'edgar_limiter';
export const INFLIGHT_BUCKET = 'ingest_inflight';
/** taskId -> the ingestor delivery that holds the task: a stale holder sees it changed and stops. */
export const INGEST_LEASE_BUCKET = 'ingest_leases';

/**
 * The last subject token per event type. `ingest.<taskId>.requested` reads better than
 * `ingest.<taskId>.ingest_requested`: the stream prefix already says "ingest".
 */
export const SUBJECT_TOKEN = {
  IngestRequested: 'requested',
  CompanyResolved: 'company_resolved',
  FilingStarted: 'filing_started',
  FilingCompleted: 'filing_completed',
  FilingFailed: 'filing_failed',
  IngestCompleted: 'completed',
  IngestFailed: 'failed',
  IngestCancelRequested: 'cancel_requested',
  IngestCancelled: 'cancelled',
  IngestDelayed: 'delayed',
} as const satisfies Record<IngestEventType, string>;
export type SubjectToken = (typeof SUBJECT_TOKEN)[IngestEventType];

const TYPE_BY_TOKEN = new Map<string, IngestEventType>(
  Object.entries(SUBJECT_TOKEN).map(([type, token]) => [token, type as IngestEventType]),
);

export const subjects = {
  /** `ingest.<taskId>.<token>`: where one event of one task is published. */
  event: (taskId: string, type: IngestEventType) => `ingest.${taskId}.${SUBJECT_TOKEN[type]}`,
  /** `ingest.<taskId>.>`: every event of one task (per-task replay). */
  task: (taskId: string) => `ingest.${taskId}.>`,
  /** `ingest.*.<token>`: one event type across all tasks (e.g. every completed filing). */
  ofType: (type: IngestEventType) => `ingest.*.${SUBJECT_TOKEN[type]}`,
  /** `status.<taskId>`: core NATS, the projected status after each projector commit. */
  status: (taskId: string) => `status.${taskId}`,
  allStatus: 'status.>',
} as const;

/**
 * Header of each `status.<taskId>` message: the status's `version`, so a subscriber holding that
 * version or a newer one (from its own fold) can drop the message without parsing it.
 */
export const STATUS_VERSION_HEADER = 'Status-Version';

/**
 * Header of a `status.<taskId>` message (value `1`) whose body CORRECTS what a plain fold of the
 * stream holds at that version: a task marked by an event set aside, or rows rewritten by
 * `rebuild --task` / `dead-letters retry`. A subscriber folding the stream itself takes it in
 * place of its own status at that version instead of dropping it as already held.
 */
export const STATUS_REPLACE_HEADER = 'Status-Replace';

export type ParsedIngestSubject = { taskId: string; token: string; type: IngestEventType | undefined };

/** Splits `ingest.<taskId>.<token>`; `type` is undefined for a token this version does not know. */
export function parseIngestSubject(subject: string): ParsedIngestSubject | undefined {
  const parts = subject.split('.');
  if (parts.length !== 3 || parts[0] !== 'ingest' || !parts[1] || !parts[2]) return undefined;
  return { taskId: parts[1], token: parts[2], type: TYPE_BY_TOKEN.get(parts[2]) };
}

export function parseStatusSubject(subject: string): { taskId: string } | undefined {
  const parts = subject.split('.');
  if (parts.length !== 2 || parts[0] !== 'status' || !parts[1]) return undefined;
  return { taskId: parts[1] };
}

export function eventTypeFromToken(token: string): IngestEventType | undefined {
  return TYPE_BY_TOKEN.get(token);
}
