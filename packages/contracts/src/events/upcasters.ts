import type { IngestEventType } from './ingest-events';

/**
 * Rewrites the raw JSON of an event written at `schemaVersion` N into version N + 1.
 * Register one per bump so that events already on the stream keep folding after a schema change.
 */
export type Upcaster = (raw: Record<string, unknown>) => Record<string, unknown>;
export type UpcasterRegistry = Partial<Record<IngestEventType, Record<number, Upcaster>>>;

const withData = (raw: Record<string, unknown>, extra: Record<string, unknown>) => ({
  ...raw,
  data: { ...(raw.data as Record<string, unknown>), ...extra },
});

/**
 * v1 -> v2 of the truthful-outcomes change. Every default is what the v1 fold meant, so a stream
 * written before folds to the statuses it had: a v1 task was always an initial ingestion, its
 * CompanyResolved listed every filing it worked on, a v1 FilingCompleted stored everything, and a
 * v1 IngestCompleted was shown as `completed` (even with failures: that is what those tasks showed).
 */
export const UPCASTERS: UpcasterRegistry = {
  IngestRequested: { 1: (raw) => withData(raw, { mode: 'initial', retryOf: null }) },
  CompanyResolved: { 1: (raw) => withData(raw, { alreadyStored: 0 }) },
  FilingCompleted: { 1: (raw) => withData(raw, { outcome: 'completed', missing: [] }) },
  IngestCompleted: { 1: (raw) => withData(raw, { outcome: 'completed', partial: 0 }) },
};
