import type { RefusalCode } from '@symbology/db';
import type { ExtractionLimits } from '../extraction/extraction-limits';
import type { SectionExtraction } from '../extraction/section-extraction';
import { createWorkerPool, type JobFailure } from './worker-pool';

/** Symbology's own budget or reader refused the document: a refresh cuts it again (REFUSAL_CODES). */
export type ExtractionFailureCode = Extract<RefusalCode, `extraction_${string}`>;

export type ExtractionResult =
  | { ok: true; extraction: SectionExtraction; ms: number }
  | { ok: false; code: ExtractionFailureCode; message: string; ms: number };

export type Extractor = {
  /** Never rejects: a document that cannot be cut is a result, so the filing fails alone. */
  extract(html: string, form: string): Promise<ExtractionResult>;
  close(): Promise<void>;
};

export type ExtractionPoolOptions = {
  limits: ExtractionLimits;
  /** Worker threads; one per task in flight, so an extraction does not wait for a thread. */
  threads: number;
  onWorkerError?: (error: unknown) => void;
};

/**
 * Cuts sections in worker threads (worker-pool.ts), so a hostile document never blocks the event
 * loop, within EXTRACT_TIMEOUT_MS and EXTRACT_MAX_MEMORY_MB.
 */
export function createExtractionPool({ limits, threads, onWorkerError }: ExtractionPoolOptions): Extractor {
  const pool = createWorkerPool({ budget: limits, threads, ...(onWorkerError ? { onWorkerError } : {}) });
  const textLimits = { maxNestingDepth: limits.maxNestingDepth, maxTextChars: limits.maxTextChars };
  return {
    async extract(html, form) {
      const outcome = await pool.run('cutSections', { html, form, limits: textLimits });
      if (outcome.ok) return { ok: true, extraction: outcome.value, ms: outcome.ms };
      return { ok: false, ...describeFailure(outcome.failure, outcome.detail, limits), ms: outcome.ms };
    },
    close: () => pool.close(),
  };
}

function describeFailure(
  failure: JobFailure,
  detail: string,
  limits: ExtractionLimits,
): { code: ExtractionFailureCode; message: string } {
  switch (failure) {
    case 'timeout':
      return {
        code: 'extraction_timeout',
        message: `Cutting the text sections took longer than ${limits.timeoutMs / 1000} s (EXTRACT_TIMEOUT_MS) and was stopped; the document is unusually large or malformed`,
      };
    case 'out_of_memory':
      return {
        code: 'extraction_out_of_memory',
        message: `Cutting the text sections needed more than ${limits.maxMemoryMb} MB (EXTRACT_MAX_MEMORY_MB) and was stopped; the document is unusually large or malformed`,
      };
    case 'error':
      return { code: 'extraction_failed', message: `Could not cut the text sections: ${detail}` };
    default: {
      const unknown: never = failure;
      throw new Error(`unhandled worker failure ${String(unknown)}`);
    }
  }
}
