import type { TaskFilingStatus, TaskStatus } from '@symbology/contracts';

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
