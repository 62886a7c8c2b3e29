import Link from 'next/link';
import { missingLines, PART_LABEL } from '../ingestion/outcome';
import { ReasonText } from '../ingestion/reason-text';
import type { CompanyData } from './types';

type Filing = CompanyData['filings'][number];
const PARTS = ['facts', 'business', 'risk_factors', 'mdna'] as const;

/** What a part holds, in a word; a missing one carries its reason. */
function cell(filing: Filing, part: (typeof PARTS)[number]) {
  const held = filing.parts.find((p) => p.part === part);
  const missing = filing.missing.find((m) => m.part === part);
  if (missing) return { state: 'missing' as const, text: missing.retryable ? 'missing (may work later)' : 'missing' };
  if (held?.status === 'stored') return { state: 'stored' as const, text: 'stored' };
  if (held?.status === 'not_offered') return { state: 'not_offered' as const, text: 'not cut for this form' };
  return { state: 'unknown' as const, text: 'not recorded' };
}

/**
 * Per fiscal year, each part the filing offers: stored, or missing with the reason and a link to
 * the task that tried. All as text, so it reads the same with a mouse, a finger or a screen reader.
 */
export function Holdings({ filings, retry }: { filings: Filing[]; retry?: React.ReactNode }) {
  const gaps = filings.filter((f) => f.missing.length > 0);
  return (
    <section className="panel" aria-labelledby="holdings-h" data-testid="holdings">
      <h2 id="holdings-h">What is stored</h2>
      <p className={gaps.length ? 'holdings__note holdings__note--gaps' : 'holdings__note muted'}>
        {gaps.length === 0
          ? 'Every part of every annual report shown is stored.'
          : `${gaps.length} of ${filings.length} annual reports miss something: the reasons are below.`}
      </p>
      {retry}
      <div className="table-scroll">
        <table className="holdings">
          <thead>
            <tr>
              <th scope="col">Fiscal year</th>
              {PARTS.map((p) => (
                <th scope="col" key={p}>
                  {PART_LABEL[p]}
                </th>
              ))}
              <th scope="col">Task</th>
            </tr>
          </thead>
          <tbody>
            {filings.map((f) => {
              const taskId = f.missing[0]?.taskId ?? f.parts.find((p) => p.taskId)?.taskId ?? null;
              return (
                <tr key={f.accession} data-accession={f.accession} data-complete={f.missing.length === 0}>
                  <th scope="row">
                    FY{f.fiscalYear} <span className="muted small">{f.form}</span>
                  </th>
                  {PARTS.map((p) => {
                    const c = cell(f, p);
                    return (
                      <td key={p} className={`holdings__cell holdings__cell--${c.state}`} data-part={p}>
                        <span aria-hidden="true">
                          {c.state === 'stored' ? '✓ ' : c.state === 'missing' ? '✗ ' : ''}
                        </span>
                        {c.text}
                      </td>
                    );
                  })}
                  <td>
                    {taskId ? (
                      // Five links all named "task" are told apart by their row only when seen:
                      // a screen reader's list of links names the filing too.
                      <Link href={`/tasks/${taskId}`}>
                        task
                        <span className="visually-hidden">
                          {' '}
                          for FY{f.fiscalYear} {f.form}
                        </span>
                      </Link>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {gaps.length > 0 && (
        <ul className="holdings__reasons" aria-label="Why parts are missing">
          {gaps.map((f) => (
            <li key={f.accession} data-accession={f.accession}>
              <strong>
                FY{f.fiscalYear} {f.form}
              </strong>
              <ul>
                {missingLines(f.missing).map((line) => (
                  <li key={line}>
                    <ReasonText reason={line} />
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
