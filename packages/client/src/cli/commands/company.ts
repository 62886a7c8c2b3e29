import type { RouterOutputs } from '@symbology/api';
import type { SymbologyClient } from '../../client';
import { ExitCode } from '../exit-codes';
import { describeMissing } from '../progress-view';

type Company = NonNullable<RouterOutputs['company']['byTicker']>;

/** `symbology company AAPL`: the stored profile, filings and key financials; exit 4 when not ingested or nothing is stored. */
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
  return company.storedAny ? ExitCode.Ok : ExitCode.NotFound;
}

/** $86.5M, $391.0B: the unit that keeps three significant figures readable. */
export function money(v: { value: number } | null): string {
  if (!v) return '–';
  const abs = Math.abs(v.value);
  const [div, unit] = abs >= 1e9 ? [1e9, 'B'] : abs >= 1e6 ? [1e6, 'M'] : abs >= 1e3 ? [1e3, 'K'] : [1, ''];
  return `${v.value < 0 ? '-' : ''}$${(abs / div).toFixed(1)}${unit}`;
}

export function describeCompany(c: Company): string {
  const p = c.profile;
  const heading = [
    `${p.name}  (CIK ${p.cik}; ${p.tickers.join(', ')} on ${[...new Set(p.exchanges)].join(', ') || 'no exchange'})`,
    `SIC ${p.sic ?? '–'} ${p.sicDescription ?? ''}; fiscal year ends ${p.fiscalYearEnd ?? '–'}`,
    '',
  ];
  if (!c.storedAny) {
    const ticker = p.tickers[0] ?? p.cik;
    const tried = c.filings.length;
    const why =
      tried > 0
        ? `Its ingestion tried ${tried} annual report${tried === 1 ? '' : 's'} and could store nothing of them: ${c.filings
            .flatMap((f) => f.missing.slice(0, 1).map((m) => `FY${f.fiscalYear} ${f.form}: ${m.message}`))
            .join('; ')}.`
        : 'Its ingestion stored none, or it files none.';
    return [
      ...heading,
      `Nothing is stored for ${p.name}: no annual report (10-K, 20-F or 40-F) holds anything.`,
      `${why} \`symbology ingest ${ticker} --follow\` asks EDGAR again once it was last read more than REFRESH_AFTER ago.`,
    ].join('\n');
  }
  const lines = [
    ...heading,
    'fiscal year  form   accession             revenue   net income   total assets   operating cash   sections',
    ...c.filings.map((f) => {
      const k = c.keyFacts.find((y) => y.accession === f.accession);
      const cells = k
        ? [money(k.revenue), money(k.netIncome), money(k.totalAssets), money(k.operatingCashFlow)]
        : ['–', '–', '–', '–'];
      const sections = c.sections.filter((s) => s.accession === f.accession).length;
      return `${String(f.fiscalYear).padEnd(13)}${f.form.padEnd(7)}${f.accession.padEnd(22)}${cells.map((x, i) => x.padStart([9, 13, 15, 17][i]!)).join('')}${String(sections).padStart(11)}`;
    }),
  ];
  return [...lines, ...missingParts(c)].join('\n');
}

/**
 * Per fiscal year, what is stored and what is missing with its reason and the task that tried, e.g.
 * `FY2023 10-K  stored: facts; missing: business, risk_factors, mdna: EDGAR has no document (HTTP 404)  [task 01a2…]`.
 */
export function missingParts(c: Company): string[] {
  const gaps = c.filings.filter((f) => f.missing.length > 0);
  if (gaps.length === 0) return [];
  const lines = gaps.map((f) => {
    const stored = f.parts.filter((p) => p.status === 'stored').map((p) => p.part);
    const tasks = [...new Set(f.missing.flatMap((m) => (m.taskId ? [m.taskId] : [])))];
    const tried = tasks.length ? `  [task ${tasks.join(', ')}]` : '';
    return `${`FY${f.fiscalYear} ${f.form}`.padEnd(13)}stored: ${stored.join(', ') || 'nothing'}; missing: ${describeMissing(f.missing)}${tried}`;
  });
  const ticker = c.profile.tickers[0] ?? c.profile.cik;
  const hint = c.retryable ? [`Some parts may be had now: symbology ingest ${ticker} --retry --follow`] : [];
  return ['', 'what is missing, per fiscal year:', ...lines, ...hint];
}
