import type { TaskStatusView } from '~/trpc/use-task-status';

type Filing = TaskStatusView['filings'][number];

const ICON: Record<Filing['status'], string> = {
  pending: '•',
  processing: '',
  completed: '✓',
  partial: '◐',
  failed: '✗',
  not_attempted: '–',
};
const WORD: Record<Filing['status'], string> = {
  pending: 'pending',
  processing: 'in progress',
  completed: 'done',
  partial: 'partly stored',
  failed: 'failed',
  not_attempted: 'not attempted',
};

/** One filing of the task: fiscal year, form and state; a failure shows its error on hover and focus. */
export function FilingChip({ filing }: { filing: Filing }) {
  const failed = filing.status === 'failed';
  const tipId = `tip-${filing.accession}`;
  return (
    <li
      className={`chip chip--${filing.status}`}
      data-status={filing.status}
      tabIndex={failed ? 0 : undefined}
      aria-describedby={failed ? tipId : undefined}
      aria-label={`Fiscal ${filing.fiscalYear} ${filing.form}: ${WORD[filing.status]}`}
    >
      <span className="chip__year">FY{filing.fiscalYear}</span>
      <span className="chip__form">{filing.form}</span>
      <span className="chip__icon" aria-hidden="true">
        {filing.status === 'processing' ? <span className="spinner" /> : ICON[filing.status]}
      </span>
      {failed && (
        <span role="tooltip" id={tipId} className="chip__tip">
          {filing.error ?? 'Failed'}
        </span>
      )}
    </li>
  );
}
