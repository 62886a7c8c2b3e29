import { MessageChannel, type TransferListItem } from 'node:worker_threads';
import { workerEntry } from '@symbology/service';
import { Piscina } from 'piscina';
import type * as Jobs from './worker-jobs';

/** What one job in a worker thread may cost; each pool has its own (EXTRACT_*, COMPANYFACTS_*). */
export type WorkerBudget = {
  /** Wall time of one job, from the moment its worker starts it; past it the worker is terminated. */
  timeoutMs: number;
  /** The worker thread's V8 old-generation heap; past it the worker dies, not the ingestor. */
  maxMemoryMb: number;
};

/** The jobs are worker-jobs.ts's exports; each is handed a `started` port besides its input. */
export type JobName = keyof typeof Jobs;
type JobInput<K extends JobName> = Omit<Parameters<(typeof Jobs)[K]>[0], 'started'>;
type JobOutput<K extends JobName> = ReturnType<(typeof Jobs)[K]>;

/** Why a job has no answer: past its time, past its memory, or its worker failed otherwise (`detail` says how). */
export type JobFailure = 'timeout' | 'out_of_memory' | 'error';

export type JobOutcome<T> =
  { ok: true; value: T; ms: number } | { ok: false; failure: JobFailure; detail: string; ms: number };

export type WorkerPool = {
  /** Never rejects: a job past its budget is an outcome, so only the part it was for is lost. */
  run<K extends JobName>(
    job: K,
    input: JobInput<K>,
    transferList?: readonly TransferListItem[],
  ): Promise<JobOutcome<JobOutput<K>>>;
  close(): Promise<void>;
};

export type WorkerPoolOptions = {
  budget: WorkerBudget;
  /** Worker threads; one per task in flight, so a job does not wait for a thread. */
  threads: number;
  onWorkerError?: (error: unknown) => void;
};

/**
 * The one owner of "run this in a worker thread, within a time and memory budget": what would
 * otherwise block the event loop (NATS heartbeats, /healthz, the limiter and every other task) on
 * hostile input. Piscina keeps the threads warm and, when a job's AbortSignal fires, terminates
 * the thread it runs on; a worker that passes its heap limit dies alone. Why piscina: a well-kept
 * pool that already does abort by termination, resourceLimits and thread replacement, which
 * hand-written pools get subtly wrong. Every pool runs the one worker bundle (worker-jobs);
 * pools differ by budget, since a heap limit is per thread.
 */
export function createWorkerPool({ budget, threads, onWorkerError }: WorkerPoolOptions): WorkerPool {
  const { filename, execArgv } = workerEntry({
    bundle: 'worker-jobs.js',
    source: new URL('./worker-jobs.ts', import.meta.url),
    caller: import.meta.filename,
  });
  const pool = new Piscina<unknown, unknown>({
    filename,
    execArgv,
    // What a new thread loads before its first job. It must be an export: else piscina tries the
    // file again as an ES module, which fails when run from source (tsx hooks only require there).
    name: 'cutSections' satisfies JobName,
    // Threads start on first use and stay a minute: a replica that runs no job pays nothing.
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: 60_000,
    resourceLimits: { maxOldGenerationSizeMb: budget.maxMemoryMb },
  });
  // Piscina reports a worker that fails outside any task as an 'error' event; unheard, it would crash us.
  pool.on('error', (error: unknown) => onWorkerError?.(error));
  return {
    async run(job, input, transferList = []) {
      const started = performance.now();
      const ms = () => Math.round(performance.now() - started);
      const abort = new AbortController();
      const { port1, port2 } = new MessageChannel();
      let timer: NodeJS.Timeout | undefined;
      // The budget runs from the moment the worker starts: a thread's start-up is not the input's fault.
      port1.once('message', () => {
        timer = setTimeout(() => abort.abort(), budget.timeoutMs);
      });
      try {
        const task = { ...input, started: port2 };
        const value = await pool.run(task, { name: job, signal: abort.signal, transferList: [port2, ...transferList] });
        return { ok: true, value: value as JobOutput<typeof job>, ms: ms() };
      } catch (error) {
        return { ok: false, ...failureOf(error), ms: ms() };
      } finally {
        clearTimeout(timer);
        port1.close();
      }
    },
    close: () => pool.close({ force: true }),
  };
}

function failureOf(error: unknown): { failure: JobFailure; detail: string } {
  const name = error instanceof Error ? error.name : '';
  const code = (error as { code?: unknown } | null)?.code;
  const detail = (error instanceof Error ? error.message : String(error)).slice(0, 200);
  if (name === 'AbortError') return { failure: 'timeout', detail };
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') return { failure: 'out_of_memory', detail };
  return { failure: 'error', detail };
}
