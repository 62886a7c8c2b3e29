import { newTaskId, type TaskStatus } from '@symbology/contracts';

/** A plausible run of statuses for one task, versions strictly increasing, ending completed. */
export function statusRun(taskId = newTaskId(), ticker = 'SYMB', firstVersion = 1): TaskStatus[] {
  const at = new Date('2026-01-01T00:00:00Z').toISOString();
  const filing = (fiscalYear: number, status: TaskStatus['status']) => ({
    accession: `0009999999-${String(fiscalYear).slice(2)}-000001`,
    form: '10-K' as const,
    fiscalYear,
    reportDate: `${fiscalYear}-12-31`,
    status,
  });
  const base: TaskStatus = {
    taskId,
    ticker,
    status: 'pending',
    progress: 0,
    message: `Queued ingestion of ${ticker}`,
    stepsCompleted: 0,
    totalSteps: 0,
    company: null,
    filings: [],
    error: null,
    version: firstVersion,
    createdAt: at,
    updatedAt: at,
  };
  const company = { cik: '0009999999', name: 'Symbology Test Corp' };
  return [
    base,
    {
      ...base,
      status: 'processing',
      progress: 10,
      company,
      totalSteps: 2,
      filings: [filing(2024, 'pending'), filing(2023, 'pending')],
      version: firstVersion + 1,
    },
    {
      ...base,
      status: 'processing',
      progress: 31,
      company,
      totalSteps: 2,
      filings: [filing(2024, 'processing'), filing(2023, 'pending')],
      version: firstVersion + 2,
    },
    {
      ...base,
      status: 'processing',
      progress: 52,
      company,
      totalSteps: 2,
      stepsCompleted: 1,
      filings: [filing(2024, 'completed'), filing(2023, 'pending')],
      version: firstVersion + 3,
    },
    {
      ...base,
      status: 'processing',
      progress: 73,
      company,
      totalSteps: 2,
      stepsCompleted: 1,
      filings: [filing(2024, 'completed'), filing(2023, 'processing')],
      version: firstVersion + 4,
    },
    {
      ...base,
      status: 'completed',
      progress: 100,
      company,
      totalSteps: 2,
      stepsCompleted: 2,
      message: 'Ingested Symbology Test Corp: 2 filings',
      filings: [filing(2024, 'completed'), filing(2023, 'completed')],
      version: firstVersion + 5,
    },
  ];
}
