import { createStepEvent, type IngestEvent } from '@symbology/contracts';

const FORMS = ['10-K', '10-K', '10-K', '10-K', '10-K'] as const;

/**
 * The events of one ingestion as the ingestor would publish them: requested, resolved with five
 * annual reports, each started then completed (one fails), then completed: 13 events.
 * `seed` makes accessions differ between tasks; `clock` keeps tests deterministic.
 */
export function taskEvents(
  taskId: string,
  seed: number,
  clock = () => new Date('2026-01-02T03:04:05.000Z'),
): IngestEvent[] {
  const ctx = { taskId, correlationId: `corr-${seed}`, causationId: null, now: clock };
  const cik = String(1_000_000 + (seed % 8_000_000)).padStart(10, '0');
  const filings = FORMS.map((form, i) => ({
    accession: `${cik}-${String(24 - i).padStart(2, '0')}-${String(seed % 1_000_000).padStart(6, '0')}`,
    form,
    fiscalYear: 2024 - i,
    reportDate: `${2024 - i}-09-30`,
    filingDate: `${2024 - i}-11-01`,
  }));
  const events: IngestEvent[] = [
    createStepEvent(ctx, {
      type: 'IngestRequested',
      data: { ticker: 'AAPL', requestedBy: 'test', requestedAt: clock().toISOString() },
    }),
    createStepEvent(ctx, {
      type: 'CompanyResolved',
      data: {
        cik,
        name: `Company ${seed}`,
        tickers: ['AAPL'],
        exchanges: ['Nasdaq'],
        sic: '3571',
        sicDescription: 'Computers',
        fiscalYearEnd: '0930',
        filings,
      },
    }),
  ];
  filings.forEach((f, i) => {
    events.push(
      createStepEvent(
        ctx,
        { type: 'FilingStarted', data: { accession: f.accession, form: f.form, fiscalYear: f.fiscalYear } },
        f.accession,
      ),
    );
    events.push(
      i === 3
        ? createStepEvent(
            ctx,
            {
              type: 'FilingFailed',
              data: {
                accession: f.accession,
                error: { code: 'EDGAR_DOWN', message: 'EDGAR unreachable' },
                retryable: true,
              },
            },
            f.accession,
          )
        : createStepEvent(
            ctx,
            {
              type: 'FilingCompleted',
              data: {
                accession: f.accession,
                factsStored: 10,
                sectionsStored: 3,
                primaryDocumentUrl: 'https://www.sec.gov/x.htm',
              },
            },
            f.accession,
          ),
    );
  });
  events.push(createStepEvent(ctx, { type: 'IngestCompleted', data: { completed: 4, failed: 1 } }));
  return events;
}
