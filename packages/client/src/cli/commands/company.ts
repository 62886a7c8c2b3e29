import type { RouterOutputs } from '@symbology/web';
import type { SymbologyClient } from '../../client';
import { ExitCode } from '../exit-codes';

type Company = NonNullable<RouterOutputs['company']['byTicker']>;

/** `symbology company AAPL`: the stored profile, filings and key financials; exit 4 when not ingested. */
export async function companyCommand(
  client: SymbologyClient,
  ticker: string,
  json: boolean,
  out = process.stdout,
): Promise<number> {
  const company = await client.api.company.byTicker.query({ ticker });
  if (!company) {
    process.stderr.write(`${ticker} is not ingested yet: symbology ingest ${ticker} --follow\n`);
    return ExitCode.NotFound;
  }
  out.write(json ? `${JSON.stringify(company)}\n` : `${describeCompany(company)}\n`);
  return ExitCode.Ok;
}

const money = (v: { value: number } | null) => (v ? `${(v.value / 1e9).toFixed(2)}B` : '–');

export function describeCompany(c: Company): string {
  const p = c.profile;
  const lines = [
    `${p.name}  (CIK ${p.cik}; ${p.tickers.join(', ')} on ${p.exchanges.join(', ') || 'no exchange'})`,
    `SIC ${p.sic ?? '–'} ${p.sicDescription ?? ''}; fiscal year ends ${p.fiscalYearEnd ?? '–'}`,
    '',
    'fiscal year  form   accession             revenue   net income   total assets   operating cash',
    ...c.filings.map((f) => {
      const k = c.keyFacts.find((y) => y.accession === f.accession);
      const cells = k
        ? [money(k.revenue), money(k.netIncome), money(k.totalAssets), money(k.operatingCashFlow)]
        : ['–', '–', '–', '–'];
      return `${String(f.fiscalYear).padEnd(13)}${f.form.padEnd(7)}${f.accession.padEnd(22)}${cells.map((x, i) => x.padStart([9, 13, 15, 17][i]!)).join('')}`;
    }),
    '',
    `sections: ${c.sections.map((s) => `${s.section} (${s.charCount} chars)`).join(', ') || 'none'}`,
  ];
  return lines.join('\n');
}
