import { backoffDelay } from '@symbology/service';
import type { Logger } from '../logger';
import type { TickerDirectory } from './ticker-directory';

export type TickerRefresh = {
  /** Stops scheduling checks; a download in flight finishes on its own (its errors are caught). */
  stop(): void;
};

const HOUR_MS = 60 * 60 * 1000;

/**
 * Loads the ticker map at start and keeps it fresh without waiting for an ingestion to ask, so the
 * copy published for the web app never goes stale on a quiet day. Each check costs an EDGAR request
 * only when the directory's copy is older than its max age; a failure (EDGAR down at boot) is
 * logged and retried with a growing delay, and never stops the ingestor.
 */
export function startTickerRefresh({
  directory,
  logger,
  checkEveryMs = HOUR_MS,
  firstRetryMs = 30_000,
}: {
  directory: Pick<TickerDirectory, 'refresh'>;
  logger: Logger;
  checkEveryMs?: number;
  firstRetryMs?: number;
}): TickerRefresh {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let failures = 0;

  const check = async () => {
    try {
      await directory.refresh();
      failures = 0;
    } catch (error) {
      failures++;
      logger.warn({ err: error, failures }, 'could not load EDGAR company_tickers.json; will retry');
    }
    if (stopped) return;
    const delay = failures === 0 ? checkEveryMs : backoffDelay(failures, { baseMs: firstRetryMs, maxMs: checkEveryMs });
    timer = setTimeout(() => void check(), delay).unref();
  };
  void check();

  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
