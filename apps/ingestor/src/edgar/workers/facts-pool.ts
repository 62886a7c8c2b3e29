import type { RefusalCode } from '@symbology/db';
import type { CompanyFactsDownload } from '../edgar-client';
import type { CompanyFactsRead } from '../read-company-facts';
import { createWorkerPool, type JobFailure, type WorkerBudget } from './worker-pool';

/** What reading one companyfacts may cost; COMPANYFACTS_* in env.ts, documented in docs/configuration.md. */
export type CompanyFactsLimits = WorkerBudget;

/**
 * Measured on 2 cores: real companyfacts (1-4 MB) read in under 0.5 s; a valid file at
 * EDGAR_MAX_JSON_BYTES (256 MiB) in about 3 s within a 1 GB heap (not within 512 MB), so whatever
 * the download cap lets through reads within budget unless it is hostile or broken. The 30 s, as
 * for a document's extraction, bounds the core a hostile file may take (250 MB of facts with dates
 * that do not exist: 20-27 s) far below INGEST_STALL_MS.
 */
export const DEFAULT_COMPANY_FACTS_LIMITS: CompanyFactsLimits = { timeoutMs: 30_000, maxMemoryMb: 1_024 };

/** Why companyfacts was not read: past its budget (its cost, not its content), or its thread failed. */
export type FactsNotRead = {
  kind: 'not_read';
  /** Past its budget: refused by Symbology (REFUSAL_CODES), read again by a refresh; its thread failed: retryable. */
  code: Extract<RefusalCode, 'facts_timeout' | 'facts_out_of_memory'> | 'facts_read_failed';
  message: string;
  retryable: boolean;
};

export type FactsReading = CompanyFactsRead | FactsNotRead;

export type FactsReader = {
  /**
   * Parses, validates and indexes companyfacts in a worker thread, answering the facts of
   * `accessions` only. Never rejects. The download's bytes are transferred, so the caller must
   * not use them afterwards.
   */
  read(download: CompanyFactsDownload, accessions: readonly string[]): Promise<FactsReading>;
  close(): Promise<void>;
};

export type FactsPoolOptions = {
  limits: CompanyFactsLimits;
  /** Worker threads; one per task in flight (a task reads companyfacts once). */
  threads: number;
  onWorkerError?: (error: unknown) => void;
};

/**
 * Reads companyfacts off the event loop, within COMPANYFACTS_TIMEOUT_MS and
 * COMPANYFACTS_MAX_MEMORY_MB: read on it, a 100 MB file held the loop 2 s and a hostile 250 MB
 * one 11 s, past the ack wait, so the task lost its lock and every other task on the replica stalled.
 */
export function createFactsPool({ limits, threads, onWorkerError }: FactsPoolOptions): FactsReader {
  const pool = createWorkerPool({ budget: limits, threads, ...(onWorkerError ? { onWorkerError } : {}) });
  return {
    async read(download, accessions) {
      const { bytes } = download;
      // Moved, not copied, when the bytes own their buffer (as the EDGAR client's download does).
      const movable = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      const transfer = movable && bytes.buffer instanceof ArrayBuffer ? [bytes.buffer] : [];
      const outcome = await pool.run('readFacts', { download, accessions: [...accessions] }, transfer);
      return outcome.ok ? outcome.value : notRead(outcome.failure, outcome.detail, limits);
    },
    close: () => pool.close(),
  };
}

function notRead(failure: JobFailure, detail: string, limits: CompanyFactsLimits): FactsNotRead {
  const data = 'EDGAR’s XBRL financial data (companyfacts) for this company';
  switch (failure) {
    // The same bytes would cost the same again: retried, they would be downloaded (up to
    // EDGAR_MAX_JSON_BYTES) and read to the budget on every request for the company.
    case 'timeout':
      return {
        kind: 'not_read',
        code: 'facts_timeout',
        message: `Reading ${data} took longer than ${limits.timeoutMs / 1000} s (COMPANYFACTS_TIMEOUT_MS) and was stopped, so none of its facts could be taken; the file is unusually large or malformed. Asking again will not help until that limit is raised; the company’s next refresh with EDGAR (daily by default) reads it again.`,
        retryable: false,
      };
    case 'out_of_memory':
      return {
        kind: 'not_read',
        code: 'facts_out_of_memory',
        message: `Reading ${data} needed more than ${limits.maxMemoryMb} MB (COMPANYFACTS_MAX_MEMORY_MB) and was stopped, so none of its facts could be taken; the file is unusually large or malformed. Asking again will not help until that limit is raised; the company’s next refresh with EDGAR (daily by default) reads it again.`,
        retryable: false,
      };
    // Not the file's cost: the thread failed (could not start, or a bug). A later try may do better.
    case 'error':
      return {
        kind: 'not_read',
        code: 'facts_read_failed',
        message: `${data} could not be read: the worker thread reading it failed (${detail}). A retry may get it.`,
        retryable: true,
      };
    default: {
      const unknown: never = failure;
      throw new Error(`unhandled worker failure ${String(unknown)}`);
    }
  }
}
