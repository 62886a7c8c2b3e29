import {
  filingsToRetry,
  latestEndedTaskId,
  readFilingHoldings,
  readTaskStatus,
  type FilingHolding,
  type TaskFilingOutcome,
} from '@symbology/db';
import type { TrpcContext } from '../context';
import type { KnownCompany } from './find-known-company';
import type { TaskPlan } from './claim-ticker';

export type UpkeepFacts = {
  checkedAt: Date | null;
  now: Date;
  refreshAfterMs: number;
  /** The company's newest filings plus those its last task worked on, with their parts. */
  holdings: readonly FilingHolding[];
  lastTask: { taskId: string; filings: readonly TaskFilingOutcome[] } | undefined;
};

/**
 * What a request for a known company starts, pure: a `refresh` when EDGAR was last read longer
 * ago than REFRESH_AFTER (it also fills the gaps a retry would), else a `retry` when some filing
 * misses a part that may now be had or the last task left filings unfinished, else nothing.
 */
export function decideUpkeep(facts: UpkeepFacts): TaskPlan | null {
  const { checkedAt, now, refreshAfterMs } = facts;
  if (!checkedAt || now.getTime() - checkedAt.getTime() >= refreshAfterMs) return { mode: 'refresh', retryOf: null };
  const targets = filingsToRetry(facts.holdings, facts.lastTask?.filings);
  if (targets.length === 0) return null;
  return { mode: 'retry', retryOf: facts.lastTask?.taskId ?? null };
}

/** Reads what `decideUpkeep` needs for `company` and decides. */
export async function planUpkeep(ctx: TrpcContext, company: KnownCompany, ticker: string): Promise<TaskPlan | null> {
  const lastTaskId = await latestEndedTaskId(ctx.db, ticker);
  const lastTask = lastTaskId ? await readTaskStatus(ctx.db.$client, lastTaskId) : undefined;
  const newest = await readFilingHoldings(ctx.db, { cik: company.cik });
  const others = (lastTask?.filings ?? [])
    .map((f) => f.accession)
    .filter((a) => !newest.some((h) => h.accession === a));
  const holdings = [...newest, ...(await readFilingHoldings(ctx.db, { cik: company.cik, accessions: others }))];
  return decideUpkeep({
    checkedAt: company.checkedAt,
    now: new Date(),
    refreshAfterMs: ctx.config.REFRESH_AFTER,
    holdings,
    lastTask,
  });
}
