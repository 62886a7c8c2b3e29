import { z } from 'zod';
import {
  AccessionSchema,
  AnnualFormSchema,
  CikSchema,
  IngestModeSchema,
  MissingPartSchema,
} from '../events/ingest-events';

/**
 * Where a task stands. Terminal: `completed` (every filing whole), `completed_with_errors` (something
 * stored, some filings partial or failed or part of EDGAR's filing list unread), `failed` (nothing usable stored, or the company could not
 * be resolved) and `cancelled`. Only `completed` is a success without reservation.
 */
export const TaskStateSchema = z.enum([
  'pending',
  'processing',
  'completed',
  'completed_with_errors',
  'failed',
  'cancelled',
]);
export type TaskState = z.infer<typeof TaskStateSchema>;

export const TERMINAL_TASK_STATES = ['completed', 'completed_with_errors', 'failed', 'cancelled'] as const;

/** One filing of a task: `partial` holds some parts (see `missing`); `not_attempted`: the task ended first. */
export const FilingStateSchema = z.enum(['pending', 'processing', 'completed', 'partial', 'failed', 'not_attempted']);
export type FilingState = z.infer<typeof FilingStateSchema>;

export const TaskFilingStatusSchema = z.object({
  accession: AccessionSchema,
  form: AnnualFormSchema,
  fiscalYear: z.number().int(),
  reportDate: z.iso.date(),
  status: FilingStateSchema,
  error: z.string().optional(),
  /** The parts this filing does not hold after the task, each with its reason (a failed filing: all, where known). */
  missing: z.array(MissingPartSchema),
});
export type TaskFilingStatus = z.infer<typeof TaskFilingStatusSchema>;

/** What a person sees of one ingestion: the fold of that task's events. */
export const TaskStatusSchema = z.object({
  taskId: z.uuid(),
  ticker: z.string(),
  mode: IngestModeSchema,
  status: TaskStateSchema,
  /**
   * 0-100, never decreasing: 10 once the company is resolved, up to 95 as its filings end, 100 once
   * the task completes (with or without errors). A failed or cancelled task keeps how far it got.
   */
  progress: z.number().int().min(0).max(100),
  message: z.string(),
  stepsCompleted: z.number().int().nonnegative(),
  totalSteps: z.number().int().nonnegative(),
  company: z.object({ cik: CikSchema, name: z.string() }).nullable(),
  /** In the order the ingestor selected them: newest fiscal year first. */
  filings: z.array(TaskFilingStatusSchema),
  /** Annual reports among the five newest that were already stored whole (refresh and retry skip them). */
  alreadyStored: z.number().int().nonnegative(),
  /** Someone asked to cancel; the ingestor stops after the filing in hand. */
  cancelRequested: z.boolean(),
  /**
   * Why the task as a whole fell short, where no one filing says it: a failed task's reason, or
   * (from `CompanyResolved.listGap`) the part of EDGAR's filing list that could not be read.
   */
  error: z.string().nullable(),
  /** Stream sequence of the last event folded in; only ever goes up. */
  version: z.number().int().nonnegative(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type TaskStatus = z.infer<typeof TaskStatusSchema>;

export function isTerminalState(state: TaskState): boolean {
  return (TERMINAL_TASK_STATES as readonly TaskState[]).includes(state);
}

export function isTerminal(status: Pick<TaskStatus, 'status'>): boolean {
  return isTerminalState(status.status);
}

/**
 * A task's `error` once the projection set one of its events aside (it could not be written): short,
 * for a person, no internals. The projector sets it (markSetAside); the fold must not read it as
 * a shortfall of EDGAR's.
 */
export const SET_ASIDE_ERROR = 'An update to this task could not be recorded; operators have been alerted.';

/**
 * What a task that did not fail fell short by where no filing says it (part of EDGAR's filing list
 * unread): its `error`. A failed task's `error` is its failure, said as such.
 */
export function shortfallOf(status: Pick<TaskStatus, 'status' | 'error'>): string | undefined {
  return status.status === 'failed' ? undefined : (status.error ?? undefined);
}

/** A terminal state that is a plain success (green); the other terminal states need a person's eye. */
export function isCleanSuccess(status: Pick<TaskStatus, 'status'>): boolean {
  return status.status === 'completed';
}
