import { describe, expect, it } from 'vitest';
import { filingDurations, formatDuration } from './filing-durations';

const A = '0009999999-26-000004';
const B = '0009999999-25-000003';
const at = (ms: number) => new Date(Date.UTC(2026, 10, 29, 21, 0, 0, ms)).toISOString();
const ev = (seq: number, type: string, accession: string | null, ms: number) => ({
  seq,
  type,
  accession,
  occurredAt: at(ms),
  summary: type,
});
const filing = (accession: string, fiscalYear: number, status: 'completed' | 'processing' | 'failed') => ({
  accession,
  form: '10-K' as const,
  fiscalYear,
  reportDate: `${fiscalYear}-12-31`,
  status,
  missing: [],
});

describe('filingDurations', () => {
  it('times each filing from its last start to its outcome, in the task order', () => {
    const events = [
      ev(1, 'IngestRequested', null, 0),
      ev(2, 'FilingStarted', A, 100),
      ev(3, 'FilingStarted', A, 300), // redelivered: timed from here
      ev(4, 'FilingCompleted', A, 950),
      ev(5, 'FilingStarted', B, 960),
      ev(6, 'FilingFailed', B, 1_200),
    ];
    expect(filingDurations(events, [filing(A, 2025, 'completed'), filing(B, 2024, 'failed')])).toEqual([
      { accession: A, label: 'FY2025 10-K', status: 'completed', ms: 650 },
      { accession: B, label: 'FY2024 10-K', status: 'failed', ms: 240 },
    ]);
  });

  it('leaves a filing in hand untimed and one never started out', () => {
    const events = [ev(2, 'FilingStarted', A, 100)];
    expect(filingDurations(events, [filing(A, 2025, 'processing'), filing(B, 2024, 'processing')])).toEqual([
      { accession: A, label: 'FY2025 10-K', status: 'processing', ms: null },
    ]);
  });

  it('formats durations for people', () => {
    expect(formatDuration(640)).toBe('640 ms');
    expect(formatDuration(1_234)).toBe('1.23 s');
    expect(formatDuration(12_345)).toBe('12.3 s');
  });
});
