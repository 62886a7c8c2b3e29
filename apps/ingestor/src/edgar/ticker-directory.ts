import { normalizeTicker } from '@symbology/contracts';
import type { CompanyTicker } from './company-tickers-schema';
import type { EdgarClient } from './edgar-client';

export type TickerDirectory = {
  /** BRK-B, BRK.B and brk/b all find Berkshire's class B shares; undefined when SEC has no such ticker. */
  lookup(ticker: string): Promise<CompanyTicker | undefined>;
  /** Tickers starting with the prefix first, then company names starting with it, in SEC's order. */
  search(prefix: string, limit?: number): Promise<CompanyTicker[]>;
};

type Snapshot = { loadedAt: number; entries: CompanyTicker[]; byTicker: Map<string, CompanyTicker> };

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Keeps company_tickers.json (730 KB) in memory and fetches it again at most once per maxAgeMs.
 * When a refresh fails the previous copy keeps answering: yesterday's tickers beat no tickers.
 */
export function createTickerDirectory(
  client: Pick<EdgarClient, 'tickers'>,
  { now, maxAgeMs = DAY_MS }: { now: () => number; maxAgeMs?: number },
): TickerDirectory {
  let snapshot: Snapshot | undefined;
  let loading: Promise<Snapshot> | undefined;

  const load = async (): Promise<Snapshot> => {
    const entries = await client.tickers();
    const byTicker = new Map<string, CompanyTicker>();
    for (const entry of entries) byTicker.set(normalizeTicker(entry.ticker), entry);
    snapshot = { loadedAt: now(), entries, byTicker };
    return snapshot;
  };

  const current = async (): Promise<Snapshot> => {
    if (snapshot && now() - snapshot.loadedAt < maxAgeMs) return snapshot;
    // One refresh at a time, however many lookups arrive while it runs.
    loading ??= load().finally(() => (loading = undefined));
    try {
      return await loading;
    } catch (error) {
      if (snapshot) return snapshot;
      throw error;
    }
  };

  return {
    async lookup(ticker) {
      return (await current()).byTicker.get(normalizeTicker(ticker));
    },
    async search(prefix, limit = 10) {
      const wanted = prefix.trim();
      if (!wanted) return [];
      const { entries } = await current();
      const tickerPrefix = normalizeTicker(wanted);
      const titlePrefix = wanted.toLowerCase();
      const byTicker = entries.filter((e) => e.ticker.startsWith(tickerPrefix));
      const byTitle = entries.filter((e) => e.title.toLowerCase().startsWith(titlePrefix) && !byTicker.includes(e));
      const exact = byTicker.filter((e) => e.ticker === tickerPrefix);
      return [...exact, ...byTicker.filter((e) => e.ticker !== tickerPrefix), ...byTitle].slice(0, limit);
    },
  };
}
