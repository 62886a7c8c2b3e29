import type { RouterOutputs } from '@symbology/api';

export type CompanyData = NonNullable<RouterOutputs['company']['byTicker']>;
export type KeyFactsYear = CompanyData['keyFacts'][number];
export type MetricKey = 'revenue' | 'netIncome' | 'totalAssets' | 'operatingCashFlow';

export const METRICS: { key: MetricKey; label: string }[] = [
  { key: 'revenue', label: 'Revenue' },
  { key: 'netIncome', label: 'Net income' },
  { key: 'totalAssets', label: 'Total assets' },
  { key: 'operatingCashFlow', label: 'Operating cash flow' },
];
