import { MessageChannel } from 'node:worker_threads';
import { workerEntry } from '@symbology/service';
import { Piscina } from 'piscina';
import type { ExtractionLimits } from './extraction-limits';
import type { ExtractionTask } from './extraction-worker';
import type { SectionExtraction } from './section-extraction';

export type ExtractionFailureCode = 'extraction_timeout' | 'extraction_out_of_memory' | 'extraction_failed';

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
 * Cuts sections in worker threads, so a hostile document never blocks the event loop (NATS
 * heartbeats, /healthz, the limiter and every other task keep running). Piscina keeps the threads
 * warm and, when a task's AbortSignal fires, terminates the thread it runs on; a worker that
 * passes its heap limit dies alone. Why piscina: a well-kept pool that already does abort by
 * termination, resourceLimits and thread replacement, which hand-written pools get subtly wrong.
 */
export function createExtractionPool({ limits, threads, onWorkerError }: ExtractionPoolOptions): Extractor {
  const { filename, execArgv } = workerEntry({
    bundle: 'extraction-worker.js',
    source: new URL('./extraction-worker.ts', import.meta.url),
    caller: import.meta.filename,
  });
  const pool = new Piscina<ExtractionTask, SectionExtraction>({
    filename,
    execArgv,
    // Threads start on first use and stay a minute: a replica that cuts nothing pays nothing.
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: 60_000,
    resourceLimits: { maxOldGenerationSizeMb: limits.maxMemoryMb },
  });
  // Piscina reports a worker that fails outside any task as an 'error' event; unheard, it would crash us.
  pool.on('error', (error: unknown) => onWorkerError?.(error));
  const textLimits = { maxNestingDepth: limits.maxNestingDepth, maxTextChars: limits.maxTextChars };

  return {
    async extract(html, form) {
      const started = performance.now();
      const ms = () => Math.round(performance.now() - started);
      const budget = new AbortController();
      const { port1, port2 } = new MessageChannel();
      let timer: NodeJS.Timeout | undefined;
      // The budget runs from the moment the worker starts: a thread's start-up is not the document's fault.
      port1.once('message', () => {
        timer = setTimeout(() => budget.abort(), limits.timeoutMs);
      });
      try {
        const task = { html, form, limits: textLimits, started: port2 };
        const extraction = await pool.run(task, { signal: budget.signal, transferList: [port2] });
        return { ok: true, extraction, ms: ms() };
      } catch (error) {
        return { ok: false, ...describeFailure(error, limits), ms: ms() };
      } finally {
        clearTimeout(timer);
        port1.close();
      }
    },
    close: () => pool.close({ force: true }),
  };
}

function describeFailure(error: unknown, limits: ExtractionLimits): { code: ExtractionFailureCode; message: string } {
  const name = error instanceof Error ? error.name : '';
  const code = (error as { code?: unknown } | null)?.code;
  if (name === 'AbortError') {
    return {
      code: 'extraction_timeout',
      message: `Cutting the text sections took longer than ${limits.timeoutMs / 1000} s (EXTRACT_TIMEOUT_MS) and was stopped; the document is unusually large or malformed`,
    };
  }
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return {
      code: 'extraction_out_of_memory',
      message: `Cutting the text sections needed more than ${limits.maxMemoryMb} MB (EXTRACT_MAX_MEMORY_MB) and was stopped; the document is unusually large or malformed`,
    };
  }
  const detail = error instanceof Error ? error.message : String(error);
  return { code: 'extraction_failed', message: `Could not cut the text sections: ${detail.slice(0, 200)}` };
}
