import { normalizeTicker } from '@symbology/contracts';
import type { CompanyTicker } from './company-tickers-schema';
import type { EdgarClient } from './edgar-client';

export type TickerDirectory = {
  /** BRK-B, BRK.B and brk/b all find Berkshire's class B shares; undefined when SEC has no such ticker. */
  lookup(ticker: string): Promise<CompanyTicker | undefined>;
  /** Tickers starting with the prefix first, then company names starting with it, in SEC's order. */
  search(prefix: string, limit?: number): Promise<CompanyTicker[]>;
  /** Loads the map unless the copy in memory is fresh; unlike a lookup, rejects when that load fails. */
  refresh(): Promise<void>;
};

type Snapshot = { loadedAt: number; entries: CompanyTicker[]; byTicker: Map<string, CompanyTicker> };

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Keeps company_tickers.json (730 KB) in memory and fetches it again at most once per maxAgeMs.
 * When a refresh fails the previous copy keeps answering: yesterday's tickers beat no tickers.
 */
export function createTickerDirectory(
  client: Pick<EdgarClient, 'tickers'>,
  {
    now,
    maxAgeMs = DAY_MS,
    onLoad,
  }: {
    now: () => number;
    maxAgeMs?: number;
    /** Told of every successful download, e.g. to publish the map; it must not throw. */
    onLoad?: (entries: readonly CompanyTicker[]) => void;
  },
): TickerDirectory {
  let snapshot: Snapshot | undefined;
  let loading: Promise<Snapshot> | undefined;

  const load = async (): Promise<Snapshot> => {
    const entries = await client.tickers();
    const byTicker = new Map<string, CompanyTicker>();
    // A ticker SEC lists twice resolves to its first entry, as in the web's table (tickerMapRows).
    for (const entry of entries) {
      const key = normalizeTicker(entry.ticker);
      if (!byTicker.has(key)) byTicker.set(key, entry);
    }
    snapshot = { loadedAt: now(), entries, byTicker };
    onLoad?.(entries);
    return snapshot;
  };

  const fresh = (): Promise<Snapshot> => {
    if (snapshot && now() - snapshot.loadedAt < maxAgeMs) return Promise.resolve(snapshot);
    // One refresh at a time, however many lookups arrive while it runs.
    return (loading ??= load().finally(() => (loading = undefined)));
  };

  const current = async (): Promise<Snapshot> => {
    try {
      return await fresh();
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
    async refresh() {
      await fresh();
    },
  };
}
