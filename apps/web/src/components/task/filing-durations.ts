import type { RouterOutputs } from '@symbology/api';

type TaskEvent = RouterOutputs['ingest']['events'][number];
type Filing = RouterOutputs['ingest']['status']['filings'][number];

export type FilingDuration = {
  accession: string;
  label: string;
  status: Filing['status'];
  /** From FilingStarted to its outcome; null while the filing is still being worked on. */
  ms: number | null;
};

const ENDS = new Set(['FilingCompleted', 'FilingFailed']);

/**
 * How long each filing of the task took, in the task's order, from the events' own timestamps: a
 * filing started twice (a redelivery) is timed from its last start.
 */
export function filingDurations(events: readonly TaskEvent[], filings: readonly Filing[]): FilingDuration[] {
  const started = new Map<string, number>();
  const took = new Map<string, number>();
  for (const e of events) {
    if (!e.accession || !e.occurredAt) continue;
    const at = Date.parse(e.occurredAt);
    if (e.type === 'FilingStarted') started.set(e.accession, at);
    else if (ENDS.has(e.type) && started.has(e.accession)) took.set(e.accession, at - started.get(e.accession)!);
  }
  return filings
    .filter((f) => started.has(f.accession))
    .map((f) => ({
      accession: f.accession,
      label: `FY${f.fiscalYear} ${f.form}`,
      status: f.status,
      ms: took.get(f.accession) ?? null,
    }));
}

/** 640 -> "640 ms", 12_345 -> "12.3 s". */
export function formatDuration(ms: number): string {
  return ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1_000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
