'use client';

import { selectInPlace, selectionHref } from './selection';
import type { CompanyData } from './types';

/** The annual reports held, newest first; choosing one opens its sections in the reader. */
export function FilingsTimeline({
  filings,
  selected,
  onSelect,
}: {
  filings: CompanyData['filings'];
  selected: string | undefined;
  onSelect: (accession: string) => void;
}) {
  return (
    <section className="panel" aria-labelledby="filings-h">
      <h2 id="filings-h">Annual reports</h2>
      <ol className="timeline">
        {filings.map((f) => (
          <li key={f.accession} className="timeline__item" aria-current={f.accession === selected ? 'true' : undefined}>
            <a
              className="timeline__button"
              href={selectionHref(f.accession)}
              onClick={(e) => selectInPlace(e, () => onSelect(f.accession))}
            >
              <span className="timeline__year">FY{f.fiscalYear}</span>
              <span>{f.form}</span>
              <span className="muted small">filed {f.filingDate}</span>
            </a>
            <span className="timeline__links small">
              {f.documentUrl && (
                <a
                  href={f.documentUrl}
                  target="_blank"
                  rel="noreferrer"
                  aria-label={`${f.form} for fiscal ${f.fiscalYear} on SEC EDGAR`}
                >
                  SEC ↗
                </a>
              )}
              {f.localCopyUrl && (
                <a
                  href={f.localCopyUrl}
                  target="_blank"
                  rel="noreferrer"
                  aria-label={`Local copy of the ${f.form} for fiscal ${f.fiscalYear}`}
                >
                  local copy ↗
                </a>
              )}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
