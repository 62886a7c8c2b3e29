import { shortfallOf, type TaskFilingStatus, type TaskStatus } from '@symbology/contracts';

const WIDTH = 30;
const MARK: Record<TaskFilingStatus['status'], string> = {
  pending: '·',
  processing: '…',
  completed: '✓',
  partial: '◐',
  failed: '✗',
  not_attempted: '–',
};

/** One line: a bar, the percentage and the status message. */
export function progressLine(status: TaskStatus): string {
  const filled = Math.round((status.progress / 100) * WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
  return `${bar} ${String(status.progress).padStart(3)}%  ${status.message}`;
}

/** One chip per filing, e.g. `FY2024 10-K ✓  FY2023 10-K …`. */
export function filingChips(status: TaskStatus): string {
  return status.filings.map((f) => `FY${f.fiscalYear} ${f.form} ${MARK[f.status]}`).join('  ');
}

/** A shortfall of the whole task that no filing accounts for (part of EDGAR's filing list unread). */
export function taskGap(status: TaskStatus): string[] {
  const shortfall = shortfallOf(status);
  return shortfall ? [`  ${shortfall}`] : [];
}

/**
 * A line per filing that is not whole, each with what it lacks and why, e.g.
 * `  FY2023 10-K 0000320193-23-000106 partial: business, risk_factors, mdna: EDGAR has no document at that URL (HTTP 404)`.
 * Empty when every filing is complete.
 */
export function filingProblems(status: TaskStatus): string[] {
  return status.filings
    .filter((f) => f.status === 'partial' || f.status === 'failed' || f.status === 'not_attempted')
    .map((f) => `  FY${f.fiscalYear} ${f.form} ${f.accession} ${f.status.replace('_', ' ')}: ${filingReason(f)}`);
}

function filingReason(f: TaskFilingStatus): string {
  if (f.status === 'not_attempted') return 'the task ended before it';
  if (f.missing.length === 0) return f.error ?? 'no reason recorded';
  return describeMissing(f.missing);
}

type MissingPart = { part: string; code: string; message: string; retryable: boolean };

/**
 * Missing parts, those missing for one reason on one clause:
 * `business, risk_factors, mdna: EDGAR has no document at that URL (HTTP 404)`.
 */
export function describeMissing(missing: readonly MissingPart[]): string {
  const byReason = new Map<string, string[]>();
  for (const m of missing) {
    const reason = `${m.message || m.code}${m.retryable ? ' (retryable)' : ''}`;
    byReason.set(reason, [...(byReason.get(reason) ?? []), m.part]);
  }
  return [...byReason].map(([reason, parts]) => `${parts.join(', ')}: ${reason}`).join('; ');
}

/**
 * Renders successive statuses: redraws two lines in place on a terminal, prints a line per change
 * otherwise (so logs and pipes stay readable).
 */
export function createProgressView(out: NodeJS.WriteStream) {
  let drawn = 0;
  let last = '';
  return {
    render(status: TaskStatus) {
      const lines = [progressLine(status), filingChips(status)].filter(Boolean);
      const text = lines.join('\n');
      if (text === last) return;
      last = text;
      if (out.isTTY) {
        if (drawn > 0) out.write(`\x1b[${drawn}F\x1b[J`);
        out.write(`${text}\n`);
        drawn = lines.length;
      } else {
        out.write(`${progressLine(status)}\n`);
      }
    },
  };
}
