/** Concepts tried in order for each metric: filers tag the same idea differently across years. */
export const KEY_METRICS = {
  revenue: [
    'Revenues',
    'RevenueFromContractWithCustomerExcludingAssessedTax',
    'RevenueFromContractWithCustomerIncludingAssessedTax',
    'SalesRevenueNet',
    'RevenuesNetOfInterestExpense',
    'Revenue', // ifrs-full
  ],
  netIncome: [
    'NetIncomeLoss',
    'ProfitLoss',
    'NetIncomeLossAvailableToCommonStockholdersBasic',
    'ProfitLossAttributableToOwnersOfParent',
  ],
  totalAssets: ['Assets'],
  operatingCashFlow: [
    'NetCashProvidedByUsedInOperatingActivities',
    'NetCashProvidedByUsedInOperatingActivitiesContinuingOperations',
    'CashFlowsFromUsedInOperatingActivities',
  ],
} as const;
export type KeyMetric = keyof typeof KEY_METRICS;
export const KEY_CONCEPTS: string[] = Object.values(KEY_METRICS).flat();

export type FactRow = {
  accession: string;
  concept: string;
  unit: string;
  periodStart: string | null;
  periodEnd: string;
  value: string;
};
export type FilingRef = { accession: string; fiscalYear: number; reportDate: string };
export type MetricValue = { value: number; concept: string; unit: string };
export type KeyFactsYear = { fiscalYear: number; accession: string } & Record<KeyMetric, MetricValue | null>;

const DAY_MS = 86_400_000;

/** Durations of about a year: an annual report also carries quarters and comparatives. */
function isAnnual(f: FactRow): boolean {
  if (!f.periodStart) return true; // an instant (total assets)
  const days = (Date.parse(f.periodEnd) - Date.parse(f.periodStart)) / DAY_MS;
  return days > 330 && days < 400;
}

/**
 * For each filing, the value of each metric for the fiscal year it reports: from that filing's
 * own facts, the first concept (in priority order) with an annual value ending on the report date,
 * else the latest annual value it reports. USD is preferred over other units.
 */
export function pickKeyFacts(filings: FilingRef[], facts: FactRow[]): KeyFactsYear[] {
  return filings.map((filing) => {
    const own = facts.filter((f) => f.accession === filing.accession && isAnnual(f));
    const pick = (metric: KeyMetric): MetricValue | null => {
      for (const concept of KEY_METRICS[metric]) {
        const found = bestOf(
          own.filter((f) => f.concept === concept),
          filing.reportDate,
        );
        if (found) return { value: Number(found.value), concept, unit: found.unit };
      }
      return null;
    };
    return {
      fiscalYear: filing.fiscalYear,
      accession: filing.accession,
      revenue: pick('revenue'),
      netIncome: pick('netIncome'),
      totalAssets: pick('totalAssets'),
      operatingCashFlow: pick('operatingCashFlow'),
    };
  });
}

function bestOf(candidates: FactRow[], reportDate: string): FactRow | undefined {
  if (candidates.length === 0) return undefined;
  const usd = candidates.filter((f) => f.unit === 'USD');
  const pool = usd.length > 0 ? usd : candidates;
  return (
    pool.find((f) => f.periodEnd === reportDate) ?? [...pool].sort((a, b) => b.periodEnd.localeCompare(a.periodEnd))[0]
  );
}
