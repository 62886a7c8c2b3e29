import { z } from 'zod';
import { sleep } from '../clock';

/** IngestRequested, CompanyResolved, 5 x (FilingStarted, FilingCompleted), IngestCompleted. */
export const STEPS_PER_TASK = 13;

export const LoadShapeSchema = z.object({
  tasks: z.number().int().positive(),
  /** Pause after each acknowledged step before the task's next one: the ingestor's work between events. */
  intervalMs: z.number().nonnegative(),
  /** Task i starts its steps at i * spread / tasks after "go", so the tasks do not publish in lock-step. */
  startSpreadMs: z.number().nonnegative(),
});
export type LoadShape = z.infer<typeof LoadShapeSchema>;

/**
 * Runs steps 2..13 of task `index` the way an ingestor does: publish, wait for the broker's
 * acknowledgement, work for `intervalMs`, publish the next. Step 1 (the request) was published
 * before the subscribers connected. Both systems are driven by this one loop.
 */
export async function driveTask(
  index: number,
  shape: LoadShape,
  publishStep: (step: number) => Promise<void>,
): Promise<void> {
  await sleep((shape.startSpreadMs * index) / shape.tasks);
  for (let step = 2; step <= STEPS_PER_TASK; step++) {
    if (step > 2) await sleep(shape.intervalMs);
    await publishStep(step);
  }
}
