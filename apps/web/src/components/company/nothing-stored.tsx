import Link from 'next/link';

/** A company Symbology knows of but holds no annual report for: said in a card, with what to do. */
export function NothingStored({ name, ticker, tried }: { name: string; ticker: string; tried: number }) {
  return (
    <section className="panel empty" aria-labelledby="filings-h">
      <h2 id="filings-h">Annual reports</h2>
      <p>
        <strong>No annual report of {name} is stored.</strong>
      </p>
      <p className="muted">
        {tried > 0
          ? `The last ingestion tried ${tried} annual report${tried === 1 ? '' : 's'} and could store nothing of them; each one's reasons are listed below.`
          : 'EDGAR lists no 10-K, 20-F or 40-F for it that Symbology could store.'}
      </p>
      <p>
        <Link href={`/?q=${encodeURIComponent(ticker)}`}>Look it up again</Link>{' '}
        <span className="muted small">
          (EDGAR is read anew once the last check is old enough, a day by default; until then its answers stand
          {tried > 0 ? ', and a gap that may pass is retried from the table below' : ''}.)
        </span>
      </p>
    </section>
  );
}
