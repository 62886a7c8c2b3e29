import type { Problem } from './outcome';
import { ReasonText } from './reason-text';

/** Each filing that is not whole and why, as text on the page: readable without hovering, on touch screens too. */
export function ProblemList({ problems, title = 'Not stored' }: { problems: Problem[]; title?: string }) {
  return (
    <div className="problems">
      <h3 className="problems__title">{title}</h3>
      <ul className="problems__list">
        {problems.map((p) => (
          <li key={p.accession} className="problems__item" data-accession={p.accession}>
            <strong>{p.label}</strong>
            <ul>
              {p.lines.map((line, i) => (
                <li key={i}>
                  <ReasonText reason={line} />
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </div>
  );
}
