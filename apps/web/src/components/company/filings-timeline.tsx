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
  if (filings.length === 0) return <p className="muted">No annual reports stored yet.</p>;
  return (
    <section className="panel" aria-labelledby="filings-h">
      <h2 id="filings-h">Annual reports</h2>
      <ol className="timeline">
        {filings.map((f) => (
          <li key={f.accession} className="timeline__item" aria-current={f.accession === selected ? 'true' : undefined}>
            <button type="button" className="timeline__button" onClick={() => onSelect(f.accession)}>
              <span className="timeline__year">FY{f.fiscalYear}</span>
              <span>{f.form}</span>
              <span className="muted small">filed {f.filingDate}</span>
            </button>
            <a
              className="small"
              href={f.primaryDocumentUrl}
              target="_blank"
              rel="noreferrer"
              aria-label={`Original ${f.form} for fiscal ${f.fiscalYear}`}
            >
              document ↗
            </a>
          </li>
        ))}
      </ol>
    </section>
  );
}
