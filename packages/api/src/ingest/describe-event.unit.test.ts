import { createStepEvent } from '@symbology/contracts';
import { describe, expect, it } from 'vitest';
import { describeEvent } from './describe-event';

const ctx = {
  taskId: '0190a0f0-0000-7000-8000-000000000001',
  correlationId: 'c',
  causationId: null,
  now: () => new Date(0),
};

describe('describeEvent', () => {
  it('says which filing failed and whether a retry may help', () => {
    const event = createStepEvent(ctx, {
      type: 'FilingFailed',
      data: {
        accession: '0000000001-24-000001',
        error: { code: 'EDGAR_DOWN', message: 'EDGAR answered 503' },
        retryable: true,
      },
    });
    expect(describeEvent(event)).toBe('Failed 0000000001-24-000001: EDGAR answered 503 (retryable)');
  });

  it('tells an attempt that ended from one held for the database', () => {
    const delayed = (kind: 'retry' | 'held') =>
      createStepEvent(ctx, {
        type: 'IngestDelayed',
        data: {
          kind,
          error: { code: 'x', message: 'why' },
          attempt: 2,
          attempts: 5,
          retryAt: '1970-01-01T00:15:00.000Z',
        },
      });
    expect(describeEvent(delayed('retry'))).toBe('Attempt 2 of 5 stopped: why; next at 1970-01-01T00:15:00.000Z');
    expect(describeEvent(delayed('held'))).toBe('Attempt 2 of 5 paused: why; at most until 1970-01-01T00:15:00.000Z');
  });

  it('does not show who asked for a cancel: the timeline is public to the link', () => {
    const event = createStepEvent(ctx, {
      type: 'IngestCancelRequested',
      data: { requestedBy: 'browser-5f2c', requestedAt: '1970-01-01T00:00:00.000Z' },
    });
    expect(describeEvent(event)).toBe('Cancellation requested');
  });
});
