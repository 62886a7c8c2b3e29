import type { TaskState } from '@symbology/contracts';

/**
 * What `symbology` exits with; scripts may rely on these. A command that follows or reads a task
 * (`ingest --follow`, `ingest --retry --follow`, `status <taskId>`) exits with its task's outcome:
 * only `completed` is 0, so `symbology ingest AAPL --follow && deploy` never goes on after a run
 * that stored less than it should have.
 */
export const ExitCode = {
  /** Done as asked; a task that ended `completed` (every filing whole), or one still running. */
  Ok: 0,
  /** The task ended `failed` (it may have stored some filings before it did: see its summary). */
  TaskFailed: 1,
  Usage: 2,
  /** The API or NATS could not be reached, or answered with an error; a service is not ready. */
  Unavailable: 3,
  /** No such task, or the company is not ingested (or nothing of it is stored). */
  NotFound: 4,
  /** The task ended `completed_with_errors`: something stored, some filings partial or failed (or the filing list read in part). */
  CompletedWithErrors: 5,
  /** The task ended `cancelled` (what it stored before stopping is kept). */
  Cancelled: 6,
  /** The request does not fit the task's state: cancelling a finished task, retrying one with nothing to retry. */
  Conflict: 7,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const BY_STATE: Record<TaskState, ExitCode> = {
  pending: ExitCode.Ok,
  processing: ExitCode.Ok,
  completed: ExitCode.Ok,
  completed_with_errors: ExitCode.CompletedWithErrors,
  failed: ExitCode.TaskFailed,
  cancelled: ExitCode.Cancelled,
};

/** The exit code of a command that ends on a task in this state. */
export function exitCodeForTask(state: TaskState): ExitCode {
  return BY_STATE[state];
}

/** The table the CLI's help and the READMEs show. */
export const EXIT_CODE_HELP = `Exit codes:
  0  ok; a task followed or read ended completed (or is still running)
  1  the task failed (what it stored before, if anything, is kept and listed)
  2  usage: bad command, option or ticker
  3  the web app or NATS cannot be reached or answered an error; a service is not ready
  4  not found: no such task, or the company is not ingested (or nothing of it is stored)
  5  the task completed with errors: something stored, some filings partial or failed
  6  the task was cancelled
  7  conflict: cancelling a task already finished, retrying one with nothing to retry`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}
