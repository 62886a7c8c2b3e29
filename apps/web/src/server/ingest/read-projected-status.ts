import { asc, eq } from 'drizzle-orm';
import { TaskStatusSchema, type TaskStatus } from '@symbology/contracts';
import type { Database } from '@symbology/db';
import { taskFilings, tasks } from '@symbology/db/schema';

/** The projector's rows for one task, as the TaskStatus contract; undefined when not projected. */
export async function readProjectedStatus(db: Database, taskId: string): Promise<TaskStatus | undefined> {
  const [task] = await db.select().from(tasks).where(eq(tasks.taskId, taskId)).limit(1);
  if (!task) return undefined;
  const filings = await db
    .select()
    .from(taskFilings)
    .where(eq(taskFilings.taskId, taskId))
    .orderBy(asc(taskFilings.position));
  // Parsed, not cast: the rows are another service's output and the browser relies on the shape.
  return TaskStatusSchema.parse({
    taskId: task.taskId,
    ticker: task.ticker,
    status: task.status,
    progress: task.progress,
    message: task.message,
    stepsCompleted: task.stepsCompleted,
    totalSteps: task.totalSteps,
    company: task.companyCik && task.companyName ? { cik: task.companyCik, name: task.companyName } : null,
    filings: filings.map((f) => ({
      accession: f.accession,
      form: f.form,
      fiscalYear: f.fiscalYear,
      reportDate: f.reportDate,
      status: f.status,
      ...(f.error === null ? {} : { error: f.error }),
    })),
    error: task.error,
    version: task.version,
    createdAt: new Date(task.createdAt).toISOString(),
    updatedAt: new Date(task.updatedAt).toISOString(),
  });
}
