import { createStepEvent, type EventContext } from '../events/create-event';
import type { IngestEvent, SelectedFiling } from '../events/ingest-events';

/**
 * The one set of builders for a realistic task's events, for the tests and benches of every
 * package that folds, projects or streams them. Accessions and years are those of a five-filing
 * 10-K filer; every task gets the same filings (task_filings is keyed by task and accession).
 */
export const SAMPLE_FILINGS: SelectedFiling[] = [2024, 2023, 2022, 2021, 2020].map((fiscalYear, i) => ({
  accession: `0009999999-${String(fiscalYear + 1).slice(2)}-00000${i + 1}`,
  form: '10-K',
  fiscalYear,
  reportDate: `${fiscalYear}-12-31`,
  filingDate: `${fiscalYear + 1}-02-15`,
}));

export function taskEvents(taskId: string, options: { ticker?: string; clock?: () => Date } = {}) {
  let tick = Date.parse('2026-01-02T03:04:05Z');
  const ctx: EventContext = {
    taskId,
    correlationId: `corr-${taskId}`,
    causationId: null,
    now: options.clock ?? (() => new Date((tick += 1000))),
  };
  const ticker = options.ticker ?? 'SYMB';
  return {
    requested: (): IngestEvent =>
      createStepEvent(ctx, {
        type: 'IngestRequested',
        data: { ticker, requestedBy: 'test-client', requestedAt: ctx.now().toISOString() },
      }),
    resolved: (filings: SelectedFiling[] = SAMPLE_FILINGS): IngestEvent =>
      createStepEvent(ctx, {
        type: 'CompanyResolved',
        data: {
          cik: '0009999999',
          name: 'Symbology Test Corp',
          tickers: [ticker],
          exchanges: ['Nasdaq'],
          sic: '7372',
          sicDescription: 'Services-Prepackaged Software',
          fiscalYearEnd: '1231',
          filings,
        },
      }),
    started: (f: SelectedFiling): IngestEvent =>
      createStepEvent(
        ctx,
        { type: 'FilingStarted', data: { accession: f.accession, form: f.form, fiscalYear: f.fiscalYear } },
        f.accession,
      ),
    completed: (f: SelectedFiling): IngestEvent =>
      createStepEvent(
        ctx,
        {
          type: 'FilingCompleted',
          data: {
            accession: f.accession,
            factsStored: 12,
            sectionsStored: 3,
            primaryDocumentUrl: `https://www.sec.gov/Archives/edgar/data/9999999/${f.accession.replaceAll('-', '')}/symb-10k.htm`,
          },
        },
        f.accession,
      ),
    failed: (f: SelectedFiling, message = 'EDGAR has no document at that URL (HTTP 404)'): IngestEvent =>
      createStepEvent(
        ctx,
        {
          type: 'FilingFailed',
          data: { accession: f.accession, error: { code: 'not_found', message }, retryable: false },
        },
        f.accession,
      ),
    ingestCompleted: (completed: number, failed: number): IngestEvent =>
      createStepEvent(ctx, { type: 'IngestCompleted', data: { completed, failed } }),
    ingestFailed: (
      code = 'unknown_ticker',
      message = 'No company with ticker ZZZZ is registered with the SEC',
    ): IngestEvent => createStepEvent(ctx, { type: 'IngestFailed', data: { error: { code, message } } }),
  };
}

/** Every event of a task whose five filings all complete, in the order the ingestor emits them. */
export function happyTask(taskId: string, filings: SelectedFiling[] = SAMPLE_FILINGS): IngestEvent[] {
  const e = taskEvents(taskId);
  return [
    e.requested(),
    e.resolved(filings),
    ...filings.flatMap((f) => [e.started(f), e.completed(f)]),
    e.ingestCompleted(filings.length, 0),
  ];
}

/**
 * Every event of a task whose fourth filing fails and the others complete, in the order the
 * ingestor emits them: 13 events for five filings, ending completed.
 */
export function taskWithOneFailure(taskId: string, filings: SelectedFiling[] = SAMPLE_FILINGS): IngestEvent[] {
  const e = taskEvents(taskId);
  return [
    e.requested(),
    e.resolved(filings),
    ...filings.flatMap((f, i) => [e.started(f), i === 3 ? e.failed(f) : e.completed(f)]),
    e.ingestCompleted(filings.length - 1, 1),
  ];
}
