import { createStepEvent, type IngestEvent } from '@symbology/contracts';
import { describe, expect, it } from 'vitest';
import { taskProgress, totals } from './task-progress';

const taskId = '0190a6f0-0000-7000-8000-000000000001';
const ctx = { taskId, correlationId: 'c', causationId: null, now: () => new Date('2026-01-01T00:00:00Z') };
const A = '0009999999-24-000001';
const B = '0009999999-23-000001';
const started = (accession: string): IngestEvent =>
  createStepEvent(ctx, { type: 'FilingStarted', data: { accession, form: '10-K', fiscalYear: 2024 } }, accession);
const done = (accession: string): IngestEvent =>
  createStepEvent(
    ctx,
    {
      type: 'FilingCompleted',
      data: {
        accession,
        outcome: 'completed',
        factsStored: 1,
        sectionsStored: 3,
        primaryDocumentUrl: 'http://x/y.htm',
        missing: [],
      },
    },
    accession,
  );
const failed = (accession: string): IngestEvent =>
  createStepEvent(
    ctx,
    { type: 'FilingFailed', data: { accession, error: { code: 'not_found', message: 'gone' }, retryable: false } },
    accession,
  );

describe('taskProgress', () => {
  it('given a fresh task, finds nothing done', () => {
    const p = taskProgress([]);
    expect(p.terminal).toBeUndefined();
    expect(p.resolved).toBeUndefined();
    expect(p.finished.size).toBe(0);
  });

  it('given a filing started but not finished, leaves it to be redone', () => {
    const p = taskProgress([started(A), done(A), started(B)]);
    expect([...p.finished]).toEqual([[A, 'completed']]);
    expect(p.published.has(started(B).eventId)).toBe(true);
  });

  it('counts completed and failed filings for the totals', () => {
    const p = taskProgress([started(A), done(A), started(B), failed(B)]);
    expect(totals(p.finished)).toEqual({ outcome: 'completed_with_errors', completed: 1, partial: 0, failed: 1 });
  });

  it('calls every filing whole completed, unless part of the filing list could not be read', () => {
    const p = taskProgress([started(A), done(A)]);
    expect(totals(p.finished).outcome).toBe('completed');
    expect(totals(p.finished, 'EDGAR did not serve part of the filing list.')).toEqual({
      outcome: 'completed_with_errors',
      completed: 1,
      partial: 0,
      failed: 0,
    });
  });

  it('spots the terminal event, so a redelivered finished task is only acked', () => {
    const end = createStepEvent(ctx, {
      type: 'IngestCompleted',
      data: { outcome: 'completed', completed: 1, partial: 0, failed: 0 },
    });
    expect(taskProgress([started(A), done(A), end]).terminal).toEqual(end);
  });
});
