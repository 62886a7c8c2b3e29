import type { TaskFilingStatus } from '@symbology/contracts';
import { describe, expect, it } from 'vitest';
import {
  backgroundEnding,
  chipReason,
  mayRetry,
  panelHeading,
  problems,
  progressLine,
  stoppedShort,
  storedSome,
  summary,
  tone,
} from './outcome';

const filing = (fiscalYear: number, over: Partial<TaskFilingStatus> = {}): TaskFilingStatus => ({
  accession: `0000320193-${String(fiscalYear).slice(2)}-000100`,
  form: '10-K',
  fiscalYear,
  reportDate: `${fiscalYear}-09-28`,
  status: 'completed',
  missing: [],
  ...over,
});

describe('the panel once the task has ended', () => {
  it('reads as finished, naming how it ended', () => {
    const h = (status: Parameters<typeof panelHeading>[0] & object) => panelHeading(status);
    expect(h({ status: 'processing', ticker: 'AAPL', mode: 'initial' })).toBe('Ingesting AAPL');
    expect(h({ status: 'processing', ticker: 'AAPL', mode: 'retry' })).toBe('Retrying AAPL');
    expect(h({ status: 'completed', ticker: 'AAPL', mode: 'initial' })).toBe('AAPL: ingestion complete');
    expect(h({ status: 'completed_with_errors', ticker: 'AAPL', mode: 'initial' })).toBe(
      'AAPL: ingestion finished with errors',
    );
    expect(h({ status: 'failed', ticker: 'AAPL', mode: 'initial' })).toBe('AAPL: ingestion failed');
    expect(h({ status: 'cancelled', ticker: 'AAPL', mode: 'initial' })).toBe('AAPL: ingestion cancelled');
  });

  it('is green only when everything was stored', () => {
    expect(tone('completed')).toBe('ok');
    expect(tone('completed_with_errors')).toBe('warn');
    expect(tone('failed')).toBe('bad');
    // A cancel is someone's choice, not a failure.
    expect(tone('cancelled')).toBe('warn');
    expect(tone('processing')).toBe('running');
    expect(tone('completed', 0)).toBe('warn');
  });

  it('says how a refresh or retry behind a company page ended: never "nothing new" for a failure', () => {
    const ended = (over: Partial<Parameters<typeof backgroundEnding>[0]>) =>
      backgroundEnding({ status: 'completed', mode: 'refresh', filings: [], error: null, ...over });
    expect(ended({})).toBe('Check with EDGAR finished: nothing new.');
    expect(ended({ status: 'failed', error: 'EDGAR did not answer (HTTP 503); try again later' })).toBe(
      'Check with EDGAR failed: EDGAR did not answer (HTTP 503); try again later.',
    );
    expect(ended({ status: 'cancelled' })).toBe('Check with EDGAR was cancelled.');
    const gap = 'EDGAR did not serve part of this company’s filing list (page 2: HTTP 404).';
    expect(ended({ status: 'completed_with_errors', error: gap })).toBe(
      `Check with EDGAR finished: nothing new was stored. ${gap}`,
    );
    const failedAfterTwo = [filing(2025), filing(2024), filing(2023, { status: 'failed' })];
    expect(ended({ status: 'failed', mode: 'retry', filings: failedAfterTwo, error: 'Not finished' })).toBe(
      'Retry failed: Not finished. 2 of 3 annual reports stored whole, 1 failed.',
    );
    expect(ended({ filings: [filing(2025)] })).toBe('Check with EDGAR finished: 1 of 1 annual reports stored whole.');
  });

  it('knows when a task that ended badly still stored something', () => {
    expect(storedSome([filing(2025, { status: 'failed' }), filing(2024, { status: 'partial' })])).toBe(true);
    expect(storedSome([filing(2025, { status: 'failed' }), filing(2024, { status: 'not_attempted' })])).toBe(false);
  });

  it('writes out every missing part and failure with its reason', () => {
    const filings = [
      filing(2024),
      filing(2023, {
        status: 'partial',
        missing: [
          {
            part: 'business',
            code: 'document_not_found',
            message: 'EDGAR has no document (HTTP 404)',
            retryable: false,
          },
          { part: 'mdna', code: 'document_not_found', message: 'EDGAR has no document (HTTP 404)', retryable: false },
        ],
      }),
      filing(2022, { status: 'failed', error: 'EDGAR answered 503 five times' }),
      filing(2021, { status: 'not_attempted' }),
    ];
    expect(problems(filings)).toEqual([
      {
        accession: filings[1]!.accession,
        label: 'FY2023 10-K',
        lines: ['Business, MD&A missing: EDGAR has no document (HTTP 404)'],
      },
      { accession: filings[2]!.accession, label: 'FY2022 10-K', lines: ['EDGAR answered 503 five times'] },
      { accession: filings[3]!.accession, label: 'FY2021 10-K', lines: ['Not attempted: the task ended first.'] },
    ]);
    expect(summary(filings)).toBe('1 of 4 annual reports stored whole, 1 partly, 1 failed, 1 not attempted.');
  });

  it('offers a retry only where asking again may store more', () => {
    const gone = { part: 'business' as const, code: 'document_not_found', message: 'EDGAR has no document (HTTP 404)' };
    const partial = (retryable: boolean) => filing(2023, { status: 'partial', missing: [{ ...gone, retryable }] });
    const ended = (
      filings: TaskFilingStatus[],
      status: 'completed_with_errors' | 'failed' | 'cancelled' = 'completed_with_errors',
    ) => ({ status, filings });
    // Every gap missing for good (a 404, no XBRL data): the same answers again.
    expect(mayRetry(ended([filing(2024), partial(false)]))).toBe(false);
    // A gap that may pass (EDGAR down, rate limited), or one never attempted: a retry may store more.
    expect(mayRetry(ended([filing(2024), partial(false), partial(true)]))).toBe(true);
    // A failed filing misses every part: retried when one of its reasons may pass, or when its event
    // did not list them (the server judges), not when each is missing for good.
    const failed = (retryable: boolean[]) =>
      filing(2022, {
        status: 'failed',
        error: 'EDGAR failed',
        missing: retryable.map((r) => ({ ...gone, retryable: r })),
      });
    expect(mayRetry(ended([partial(false), failed([false, false])]))).toBe(false);
    expect(mayRetry(ended([failed([false, false])], 'failed'))).toBe(false);
    expect(mayRetry(ended([partial(false), failed([false, true])]))).toBe(true);
    expect(mayRetry(ended([partial(false), failed([])]))).toBe(true);
    expect(mayRetry(ended([partial(false), filing(2022, { status: 'not_attempted' })], 'cancelled'))).toBe(true);
    // Ended before it listed any filing: retried whole.
    expect(mayRetry(ended([], 'failed'))).toBe(true);
    expect(mayRetry(ended([], 'completed_with_errors'))).toBe(false);
  });
});

describe('the line under the bar', () => {
  const line = (over: Partial<Parameters<typeof progressLine>[0]>) =>
    progressLine({
      status: 'processing',
      progress: 44,
      message: 'Ingesting FY2023 10-K',
      stepsCompleted: 2,
      totalSteps: 5,
      ...over,
    });

  it('given a running task, then it says the percentage and what goes on', () => {
    expect(line({})).toBe('44% · Ingesting FY2023 10-K');
    expect(line({ status: 'completed', progress: 100, message: 'Done' })).toBe('100% · Done');
    expect(stoppedShort('processing')).toBe(false);
    expect(stoppedShort('completed_with_errors')).toBe(false);
  });

  it('given a failed task, then it says how far it got, without a percentage nor the reason (the error box says it)', () => {
    const failed = line({ status: 'failed', progress: 95, message: 'Ingestion of BRK-B failed: EDGAR is down' });
    expect(failed).toBe('Stopped after 2 of 5 filings.');
    expect(failed).not.toMatch(/%|EDGAR is down/);
    expect(stoppedShort('failed')).toBe(true);
    expect(line({ status: 'failed', stepsCompleted: 0, totalSteps: 0 })).toBe(
      'Stopped before any annual report was read.',
    );
  });

  it('given a task that failed after trying every filing, then it does not say it stopped short', () => {
    expect(line({ status: 'failed', stepsCompleted: 5, totalSteps: 5 })).toBe('Tried all 5 filings.');
  });

  it('given a cancelled task, then it says how far it got, not a percentage', () => {
    const cancelled = line({ status: 'cancelled', message: 'Cancelled: stopped on request' });
    expect(cancelled).toBe('Stopped after 2 of 5 filings, as asked; what was stored is kept.');
    expect(cancelled).not.toMatch(/%/);
    expect(stoppedShort('cancelled')).toBe(true);
  });
});

describe("a filing chip's tooltip", () => {
  it('names the parts as the panel does (Business, Risk factors, MD&A), not by their raw keys', () => {
    const failure = (part: 'business' | 'risk_factors' | 'mdna', message: string) =>
      ({ part, code: 'document_not_found', message, retryable: false }) as const;
    const partial = filing(2023, {
      status: 'partial',
      missing: [
        failure('business', 'EDGAR has no document (HTTP 404)'),
        failure('risk_factors', 'EDGAR has no document (HTTP 404)'),
        failure('mdna', 'Section not found'),
      ],
    });
    expect(chipReason(partial)).toBe(
      'Business, Risk factors missing: EDGAR has no document (HTTP 404) · MD&A missing: Section not found',
    );
    expect(chipReason(filing(2022, { status: 'failed', error: 'EDGAR answered 503 five times' }))).toBe(
      'EDGAR answered 503 five times',
    );
    expect(chipReason(filing(2021))).toBeUndefined();
  });

  it('names a document it could not fetch by its file name, not its whole address', () => {
    const url = 'http://127.0.0.1:50375/www.sec.gov/Archives/edgar/data/320193/000032019322000108/aapl-20220924.htm';
    const message = `EDGAR has no document at ${url} (HTTP 404)`;
    const partial = filing(2022, {
      status: 'partial',
      missing: [{ part: 'business', code: 'document_not_found', message, retryable: false }],
    });
    expect(chipReason(partial)).toBe('Business missing: EDGAR has no document at aapl-20220924.htm (HTTP 404)');
    expect(chipReason(filing(2022, { status: 'failed', error: message }))).toBe(
      'EDGAR has no document at aapl-20220924.htm (HTTP 404)',
    );
  });
});
