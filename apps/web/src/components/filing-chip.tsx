import type { TaskStatusView } from '~/trpc/use-task-status';
import { chipReason } from './ingestion/outcome';

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

/**
 * One filing of the task: fiscal year, form and state. A failed or partial filing also shows its
 * reason on hover and focus; the panel lists every reason in full as text below the chips.
 */
export function FilingChip({ filing }: { filing: Filing }) {
  const why = chipReason(filing);
  const explained = why !== undefined;
  const tipId = `tip-${filing.accession}`;
  return (
    <li
      className={`chip chip--${filing.status}`}
      data-status={filing.status}
      tabIndex={explained ? 0 : undefined}
      aria-describedby={explained ? tipId : undefined}
      aria-label={`Fiscal ${filing.fiscalYear} ${filing.form}: ${WORD[filing.status]}`}
    >
      <span className="chip__year">FY{filing.fiscalYear}</span>
      <span className="chip__form">{filing.form}</span>
      <span className="chip__icon" aria-hidden="true">
        {filing.status === 'processing' ? <span className="spinner" /> : ICON[filing.status]}
      </span>
      {explained && (
        <span role="tooltip" id={tipId} className="chip__tip">
          {why}
        </span>
      )}
    </li>
  );
}
