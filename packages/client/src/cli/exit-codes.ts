/** What `symbology` exits with; scripts may rely on these. */
export const ExitCode = {
  Ok: 0,
  /** The task ended in IngestFailed (or a follow ended on a failed task). */
  TaskFailed: 1,
  Usage: 2,
  /** The API or NATS could not be reached, or answered with an error. */
  Unavailable: 3,
  NotFound: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class UsageError extends Error {
  override readonly name = 'UsageError';
}
