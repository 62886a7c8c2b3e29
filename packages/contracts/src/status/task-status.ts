import { z } from 'zod';
import { AccessionSchema, AnnualFormSchema, CikSchema } from '../events/ingest-events';

export const TaskStateSchema = z.enum(['pending', 'processing', 'completed', 'failed']);
export type TaskState = z.infer<typeof TaskStateSchema>;

export const TaskFilingStatusSchema = z.object({
  accession: AccessionSchema,
  form: AnnualFormSchema,
  fiscalYear: z.number().int(),
  reportDate: z.iso.date(),
  status: TaskStateSchema,
  error: z.string().optional(),
});
export type TaskFilingStatus = z.infer<typeof TaskFilingStatusSchema>;

/** What a person sees of one ingestion: the fold of that task's events. */
export const TaskStatusSchema = z.object({
  taskId: z.uuid(),
  ticker: z.string(),
  status: TaskStateSchema,
  /** 0-100, never decreasing; 100 only once the task has completed. */
  progress: z.number().int().min(0).max(100),
  message: z.string(),
  stepsCompleted: z.number().int().nonnegative(),
  totalSteps: z.number().int().nonnegative(),
  company: z.object({ cik: CikSchema, name: z.string() }).nullable(),
  /** In the order the ingestor selected them: newest fiscal year first. */
  filings: z.array(TaskFilingStatusSchema),
  error: z.string().nullable(),
  /** Stream sequence of the last event folded in; only ever goes up. */
  version: z.number().int().nonnegative(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type TaskStatus = z.infer<typeof TaskStatusSchema>;

export function isTerminal(status: Pick<TaskStatus, 'status'>): boolean {
  return status.status === 'completed' || status.status === 'failed';
}
