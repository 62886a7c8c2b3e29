import type { Database } from '@symbology/db';
import type { CompanyTicker } from '../edgar/company-tickers-schema';
import type { Logger } from '../logger';
import { storeTickerMap } from './edgar-tickers';
import { tickerMapHash, tickerMapRows, type TickerMapRow } from './ticker-map-rows';

export type TickerMapSync = {
  /** Queues a write of this map unless it is the one last stored; never throws. */
  push(entries: readonly CompanyTicker[]): void;
  /** Settles when every queued write has finished (stored, skipped or failed and logged). */
  idle(): Promise<void>;
  /** Cancels a pending retry and waits for the write in progress. */
  close(): Promise<void>;
};

/**
 * Publishes the ticker directory to `edgar_tickers` for the web app. Writes run one at a time and
 * only the newest map matters; a failed write is retried after `retryMs`, since the next download
 * may be a day away. The hash is per process: after a restart the first write runs again, and the
 * upsert's change check makes it write no rows when the table already holds the same map.
 */
export function createTickerMapSync({
  db,
  logger,
  retryMs = 60_000,
}: {
  db: Database;
  logger: Logger;
  retryMs?: number;
}): TickerMapSync {
  let storedHash: string | undefined;
  let latest: { rows: TickerMapRow[]; hash: string } | undefined;
  let queue: Promise<void> = Promise.resolve();
  let retry: NodeJS.Timeout | undefined;
  let closed = false;

  const write = async (): Promise<void> => {
    const job = latest;
    if (!job || job.hash === storedHash || closed) return;
    try {
      const result = await storeTickerMap(db, job.rows);
      storedHash = job.hash;
      logger.info({ tickers: job.rows.length, ...result }, 'EDGAR ticker map stored');
    } catch (error) {
      logger.warn({ err: error, retryMs }, 'could not store the EDGAR ticker map; retrying');
      if (!closed && latest === job) retry = setTimeout(enqueue, retryMs).unref();
    }
  };
  const enqueue = () => {
    clearTimeout(retry);
    queue = queue.then(write);
  };

  return {
    push(entries) {
      const rows = tickerMapRows(entries);
      // An empty map is a broken download, not SEC delisting everyone: keep the table as it is.
      if (rows.length === 0) return void logger.warn('EDGAR ticker map is empty; not stored');
      const hash = tickerMapHash(rows);
      if (hash === storedHash || hash === latest?.hash) return;
      latest = { rows, hash };
      enqueue();
    },
    idle: () => queue,
    close: async () => {
      closed = true;
      clearTimeout(retry);
      await queue;
    },
  };
}
