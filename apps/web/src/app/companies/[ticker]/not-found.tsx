import { NotFoundCard } from '~/components/not-found-card';

/** /companies/<ticker> for a company Symbology does not hold (HTTP 404). */
export default function CompanyNotFound() {
  return (
    <NotFoundCard title="Company not found">
      <p>Symbology holds no company with this ticker. Search for it to ingest it from EDGAR, if it files there.</p>
    </NotFoundCard>
  );
}
