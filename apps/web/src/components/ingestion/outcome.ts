import { isTerminalState, shortfallOf, type FilingPart, type TaskState } from '@symbology/contracts';
import type { RouterOutputs } from '@symbology/api';
import { shortReason } from './reason';

type Status = RouterOutputs['ingest']['status'];
type Filing = Status['filings'][number];

export const PART_LABEL: Record<FilingPart, string> = {
  facts: 'Financial facts',
  business: 'Business',
  risk_factors: 'Risk factors',
  mdna: 'MD&A',
};

/** The panel's heading: what is going on, and once terminal, how it ended, in words. */
export function panelHeading(status: Pick<Status, 'status' | 'ticker' | 'mode'> | undefined): string {
  if (!status) return 'Ingestion';
  const { ticker } = status;
  const verb = status.mode === 'retry' ? 'Retrying' : status.mode === 'refresh' ? 'Checking EDGAR for' : 'Ingesting';
  const headings: Record<TaskState, string> = {
    pending: `${verb} ${ticker}`,
    processing: `${verb} ${ticker}`,
    completed: `${ticker}: ingestion complete`,
    completed_with_errors: `${ticker}: ingestion finished with errors`,
    failed: `${ticker}: ingestion failed`,
    cancelled: `${ticker}: ingestion cancelled`,
  };
  return headings[status.status];
}

/** What the panel says for a task id the server does not know (or that is no task id at all). */
export const NO_SUCH_TASK = 'This link points to no ingestion task.';

/** Failed or cancelled: the percentage is how far the task got before it stopped, not progress. */
export const stoppedShort = (state: TaskState): boolean => state === 'failed' || state === 'cancelled';

type LineStatus = Pick<Status, 'status' | 'progress' | 'message' | 'stepsCompleted' | 'totalSteps'>;

/**
 * The line under the bar: the percentage and what is going on. A task that stopped short says how
 * many filings it got through instead; a failure's reason is not repeated here, the error box
 * below says it once.
 */
export function progressLine(status: LineStatus): string {
  if (!stoppedShort(status.status)) return `${status.progress}% · ${status.message}`;
  // A run that failed after trying every filing did not stop short of any: "stopped after 5 of 5"
  // would read as if it had given up.
  const triedAll = status.status === 'failed' && status.totalSteps > 0 && status.stepsCompleted >= status.totalSteps;
  const got =
    status.totalSteps === 0
      ? 'Stopped before any annual report was read'
      : triedAll
        ? `Tried all ${status.totalSteps} filings`
        : `Stopped after ${status.stepsCompleted} of ${status.totalSteps} filings`;
  return status.status === 'cancelled' ? `${got}, as asked; what was stored is kept.` : `${got}.`;
}

/**
 * Green only when everything was stored: a run with gaps is amber, one that failed red, and a run
 * that found no annual report to store is amber too (complete, yet nothing to show). A cancel is
 * someone's choice, not a failure: amber.
 */
export function tone(state: TaskState | undefined, filings = 1): 'running' | 'ok' | 'warn' | 'bad' {
  if (!state || !isTerminalState(state)) return 'running';
  if (state === 'completed') return filings > 0 ? 'ok' : 'warn';
  return state === 'failed' ? 'bad' : 'warn';
}

/** Whether some filing of the task holds something (whole or in part), whatever the task's end. */
export function storedSome(filings: readonly Pick<Filing, 'status'>[]): boolean {
  return filings.some((f) => f.status === 'completed' || f.status === 'partial');
}

/**
 * How a refresh or retry behind a company page ended, in one line: a failure or a cancel says so
 * (with why), a run that fell short says by what, and only a clean run with no filing is "nothing new".
 */
export function backgroundEnding(status: Pick<Status, 'status' | 'mode' | 'filings' | 'error'>): string {
  const what = status.mode === 'retry' ? 'Retry' : 'Check with EDGAR';
  const ran = status.filings.length > 0 ? ` ${summary(status.filings)}` : '';
  if (status.status === 'failed')
    return `${what} failed: ${status.error ? shortReason(status.error) : 'see the task for why'}.${ran}`;
  if (status.status === 'cancelled') return `${what} was cancelled.${ran}`;
  const gap = shortfallOf(status);
  const done = ran ? ran.trimStart() : gap ? 'nothing new was stored.' : 'nothing new.';
  return `${what} finished: ${done}${gap ? ` ${gap}` : ''}`;
}

export type Problem = { accession: string; label: string; lines: string[] };

type Missing = { part: FilingPart; message: string };

/** "Business, Risk factors, MD&A missing: <reason>": parts missing for one reason are said once. */
export function missingLines(missing: readonly Missing[]): string[] {
  const byReason = new Map<string, FilingPart[]>();
  for (const m of missing) byReason.set(m.message, [...(byReason.get(m.message) ?? []), m.part]);
  return [...byReason].map(([message, parts]) => `${parts.map((p) => PART_LABEL[p]).join(', ')} missing: ${message}`);
}

/** A filing chip's tooltip: why the filing is not whole, in the panel's words, or undefined when it is (or is not done yet). */
export function chipReason(filing: Pick<Filing, 'status' | 'error' | 'missing'>): string | undefined {
  if (filing.status === 'failed') return filing.error ? shortReason(filing.error) : 'Failed';
  if (filing.status === 'partial') return shortReason(missingLines(filing.missing).join(' · '));
  return undefined;
}

/** Every filing that is not whole, with its reasons written out (nothing hidden behind a hover). */
export function problems(filings: readonly Filing[]): Problem[] {
  return filings
    .filter((f) => f.status === 'failed' || f.status === 'partial' || f.status === 'not_attempted')
    .map((f) => ({
      accession: f.accession,
      label: `FY${f.fiscalYear} ${f.form}`,
      lines:
        f.status === 'partial' || f.missing.length > 0
          ? missingLines(f.missing)
          : [f.error ?? (f.status === 'not_attempted' ? 'Not attempted: the task ended first.' : 'Failed.')],
    }));
}

/** "3 of 5 annual reports stored whole, 2 partly" — the run in one line, once it has ended. */
export function summary(filings: readonly Filing[]): string {
  if (filings.length === 0) return 'No annual report was selected.';
  const count = (s: Filing['status']) => filings.filter((f) => f.status === s).length;
  const parts = [`${count('completed')} of ${filings.length} annual reports stored whole`];
  if (count('partial')) parts.push(`${count('partial')} partly`);
  if (count('failed')) parts.push(`${count('failed')} failed`);
  if (count('not_attempted')) parts.push(`${count('not_attempted')} not attempted`);
  return `${parts.join(', ')}.`;
}

/**
 * Whether a retry of this ended task may store more: a filing was never attempted, or misses a part
 * (a failed filing misses all) for a reason that may pass (EDGAR down, rate limited). A task whose
 * only gaps are missing for good (HTTP 404, no XBRL data) offers no retry: asking again would get
 * the same answers. A failed filing whose parts are not listed (an older event) may be retried; the
 * server judges.
 */
export function mayRetry(status: Pick<Status, 'status' | 'filings'>): boolean {
  if (status.filings.length === 0) return status.status === 'failed' || status.status === 'cancelled';
  return status.filings.some(
    (f) =>
      (f.status === 'failed' && f.missing.length === 0) ||
      f.status === 'not_attempted' ||
      f.status === 'pending' ||
      f.status === 'processing' ||
      f.missing.some((m) => m.retryable),
  );
}
