import { MissingCompany } from '~/components/company/missing-company';
import { NotFoundCard } from '~/components/not-found-card';

/** /companies/<ticker> for a company Symbology does not hold (HTTP 404). */
export default function CompanyNotFound() {
  return (
    <NotFoundCard title="Company not found">
      <MissingCompany />
    </NotFoundCard>
  );
}
