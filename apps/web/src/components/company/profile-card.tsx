import { formatFiscalYearEnd } from '../format';
import type { CompanyData } from './types';

export function ProfileCard({ profile }: { profile: CompanyData['profile'] }) {
  return (
    <section className="panel" aria-labelledby="profile-h">
      <h2 id="profile-h">Profile</h2>
      <dl className="facts">
        <dt>CIK</dt>
        <dd>{profile.cik}</dd>
        <dt>Tickers</dt>
        <dd>{profile.tickers.join(', ') || '—'}</dd>
        <dt>Exchanges</dt>
        <dd>{[...new Set(profile.exchanges)].join(', ') || '—'}</dd>
        <dt>Industry</dt>
        <dd>
          {profile.sic ? `SIC ${profile.sic}${profile.sicDescription ? ` · ${profile.sicDescription}` : ''}` : '—'}
        </dd>
        <dt>Fiscal year end</dt>
        <dd>{formatFiscalYearEnd(profile.fiscalYearEnd)}</dd>
      </dl>
      <p>
        <a href={profile.edgarUrl} target="_blank" rel="noreferrer">
          Filings on SEC EDGAR ↗
        </a>
      </p>
    </section>
  );
}
