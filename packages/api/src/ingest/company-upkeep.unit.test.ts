import type { FilingHolding, PartHolding } from '@symbology/db';
import { describe, expect, it } from 'vitest';
import { decideUpkeep, type UpkeepFacts } from './company-upkeep';

const HOUR = 3_600_000;
const now = new Date('2026-11-29T12:00:00Z');

function holding(accession: string, parts: Partial<Record<PartHolding['part'], Partial<PartHolding>>>): FilingHolding {
  return {
    accession,
    cik: '0000000001',
    form: '10-K',
    fiscalYear: 2024,
    reportDate: '2024-12-31',
    filingDate: '2025-02-01',
    primaryDocument: 'a.htm',
    primaryDocumentUrl: 'https://www.sec.gov/a.htm',
    parts: (['facts', 'business', 'risk_factors', 'mdna'] as const).map((part) => ({
      part,
      status: 'stored',
      code: null,
      message: null,
      retryable: false,
      size: 1,
      taskId: null,
      ...parts[part],
    })),
  };
}

const facts = (over: Partial<UpkeepFacts>): UpkeepFacts => ({
  checkedAt: new Date(now.getTime() - HOUR),
  now,
  refreshAfterMs: 24 * HOUR,
  holdings: [holding('A', {})],
  lastTask: { taskId: 'T1', filings: [] },
  ...over,
});

describe('decideUpkeep', () => {
  it('given everything stored and a recent check, then nothing to do', () => {
    expect(decideUpkeep(facts({}))).toBeNull();
  });

  it('given a check older than REFRESH_AFTER (or none recorded), then a refresh', () => {
    expect(decideUpkeep(facts({ checkedAt: new Date(now.getTime() - 24 * HOUR) }))).toEqual({
      mode: 'refresh',
      retryOf: null,
    });
    expect(decideUpkeep(facts({ checkedAt: null }))?.mode).toBe('refresh');
  });

  it('given a part missing for a reason that may pass, then a retry of the last task', () => {
    const holdings = [holding('A', { mdna: { status: 'missing', retryable: true } })];
    expect(decideUpkeep(facts({ holdings }))).toEqual({ mode: 'retry', retryOf: 'T1' });
  });

  it('given a part missing for good or not offered by the form, then nothing', () => {
    const holdings = [
      holding('A', { mdna: { status: 'missing', retryable: false }, business: { status: 'not_offered' } }),
    ];
    expect(decideUpkeep(facts({ holdings }))).toBeNull();
  });

  it('given a filing the last task never stored (cancelled before it, or failed), then a retry', () => {
    for (const status of ['not_attempted', 'failed'] as const) {
      const lastTask = { taskId: 'T1', filings: [{ accession: 'B', status }] };
      expect(decideUpkeep(facts({ lastTask }))).toEqual({ mode: 'retry', retryOf: 'T1' });
    }
  });

  it('given a failed filing stored whole since (by a later task), then nothing', () => {
    const lastTask = { taskId: 'T1', filings: [{ accession: 'A', status: 'failed' }] };
    expect(decideUpkeep(facts({ lastTask }))).toBeNull();
  });
});
