import { createStepEvent, type EventContext } from '../events/create-event';
import type { IngestEvent, IngestMode, MissingPart, SelectedFiling } from '../events/ingest-events';

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

export function taskEvents(
  taskId: string,
  options: { ticker?: string; cik?: string; clock?: () => Date; mode?: IngestMode; retryOf?: string } = {},
) {
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
        data: {
          ticker,
          requestedBy: 'test-client',
          requestedAt: ctx.now().toISOString(),
          mode: options.mode ?? 'initial',
          retryOf: options.retryOf ?? null,
        },
      }),
    resolved: (
      filings: SelectedFiling[] = SAMPLE_FILINGS,
      alreadyStored = 0,
      listGap?: string,
      { heldInPart = 0, heldNothing = 0 } = {},
    ): IngestEvent =>
      createStepEvent(ctx, {
        type: 'CompanyResolved',
        data: {
          cik: options.cik ?? '0009999999',
          name: 'Symbology Test Corp',
          tickers: [ticker],
          exchanges: ['Nasdaq'],
          sic: '7372',
          sicDescription: 'Services-Prepackaged Software',
          fiscalYearEnd: '1231',
          filings,
          alreadyStored,
          heldInPart,
          heldNothing,
          ...(listGap && { listGap }),
        },
      }),
    started: (f: SelectedFiling): IngestEvent =>
      createStepEvent(
        ctx,
        { type: 'FilingStarted', data: { accession: f.accession, form: f.form, fiscalYear: f.fiscalYear } },
        f.accession,
      ),
    completed: (f: SelectedFiling): IngestEvent => filingCompleted(ctx, f, []),
    /** A filing stored in part: by default its facts are there and its document could not be fetched. */
    partial: (f: SelectedFiling, missing: MissingPart[] = DOCUMENT_MISSING): IngestEvent =>
      filingCompleted(ctx, f, missing),
    /** `missing`: each part and its reason, as today's ingestor lists them (absent: an older event). */
    failed: (
      f: SelectedFiling,
      message = 'EDGAR has no document at that URL (HTTP 404)',
      missing?: MissingPart[],
    ): IngestEvent =>
      createStepEvent(
        ctx,
        {
          type: 'FilingFailed',
          data: {
            accession: f.accession,
            error: { code: 'not_found', message },
            retryable: missing?.some((m) => m.retryable) ?? false,
            ...(missing && { missing }),
          },
        },
        f.accession,
      ),
    /** `listGap`: the task's CompanyResolved had one, so it cannot end `completed`. */
    ingestCompleted: (completed: number, failed: number, partial = 0, listGap = false): IngestEvent =>
      createStepEvent(ctx, {
        type: 'IngestCompleted',
        data: {
          outcome: failed + partial > 0 || listGap ? 'completed_with_errors' : 'completed',
          completed,
          partial,
          failed,
        },
      }),
    ingestFailed: (
      code = 'unknown_ticker',
      message = 'No company with ticker ZZZZ is registered with the SEC',
    ): IngestEvent => createStepEvent(ctx, { type: 'IngestFailed', data: { error: { code, message } } }),
    /** Attempt `attempt` of `attempts` stopped on `message`; the next starts `waitMs` after the event. */
    delayed: (attempt: number, attempts: number, waitMs: number, message = 'EDGAR answered HTTP 503'): IngestEvent => {
      const at = ctx.now();
      const retryAt = new Date(at.getTime() + waitMs).toISOString();
      const error = { code: 'edgar_unreachable', message };
      return createStepEvent(
        { ...ctx, now: () => at },
        { type: 'IngestDelayed', data: { kind: 'retry', error, attempt, attempts, retryAt } },
        `attempt-${attempt}`,
      );
    },
    /** The attempt paused while Symbology's database does not answer, for at most `holdMs`. */
    held: (attempt: number, attempts: number, holdMs: number, hold = 1): IngestEvent => {
      const at = ctx.now();
      const retryAt = new Date(at.getTime() + holdMs).toISOString();
      const error = { code: 'database_unavailable', message: "Symbology's database is not answering" };
      return createStepEvent(
        { ...ctx, now: () => at },
        { type: 'IngestDelayed', data: { kind: 'held', error, attempt, attempts, retryAt } },
        `held-${attempt}-${hold}`,
      );
    },
    cancelRequested: (): IngestEvent =>
      createStepEvent(ctx, {
        type: 'IngestCancelRequested',
        data: { requestedBy: 'test-client', requestedAt: ctx.now().toISOString() },
      }),
    cancelled: (counts: { completed: number; partial?: number; failed?: number; notAttempted: number }): IngestEvent =>
      createStepEvent(ctx, {
        type: 'IngestCancelled',
        data: {
          partial: 0,
          failed: 0,
          ...counts,
          reason: `stopped after ${counts.completed} of ${counts.completed + counts.notAttempted} filings`,
        },
      }),
  };
}

/** The parts a 10-K's text comes from, missing because its document could not be fetched (HTTP 404). */
export const DOCUMENT_MISSING: MissingPart[] = (['business', 'risk_factors', 'mdna'] as const).map((part) => ({
  part,
  code: 'not_found',
  message: 'EDGAR has no document at that URL (HTTP 404)',
  retryable: false,
}));

function filingCompleted(ctx: EventContext, f: SelectedFiling, missing: MissingPart[]): IngestEvent {
  return createStepEvent(
    ctx,
    {
      type: 'FilingCompleted',
      data: {
        accession: f.accession,
        outcome: missing.length === 0 ? 'completed' : 'partial',
        factsStored: missing.some((m) => m.part === 'facts') ? 0 : 12,
        sectionsStored: 3 - missing.filter((m) => m.part !== 'facts').length,
        primaryDocumentUrl: `https://www.sec.gov/Archives/edgar/data/9999999/${f.accession.replaceAll('-', '')}/symb-10k.htm`,
        missing,
      },
    },
    f.accession,
  );
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

export { byType, completion } from './event-queries';
