import {
  evolve,
  IngestEventSchema,
  TaskStatusSchema,
  type IngestEvent,
  type IngestEventType,
  type TaskStatus,
} from '../index';
import { SAMPLE_FILINGS, happyTask, taskEvents } from '../testing/task-events';

/** A fixed UUIDv7, so the generated document is the same on every run. */
export const EXAMPLE_TASK_ID = '01946a2b-3c4d-7e5f-8a6b-7c8d9e0f1a2b';

/**
 * One event of each type the test fixtures can build: a task whose filings all complete, plus
 * one filing failure, one delay, one failed task and one cancelled task. Parsed, so each example is what a publisher writes.
 */
export function exampleEvents(): Map<IngestEventType, IngestEvent> {
  const more = taskEvents(EXAMPLE_TASK_ID);
  const byType = new Map<IngestEventType, IngestEvent>();
  const extra = [
    more.failed(SAMPLE_FILINGS[0]!),
    more.delayed(
      1,
      5,
      30_000,
      'EDGAR failed to serve https://data.sec.gov/submissions/CIK0009999999.json (HTTP 503); try again later',
    ),
    more.ingestFailed(),
    more.cancelRequested(),
    more.cancelled({ completed: 2, notAttempted: 3 }),
  ];
  for (const event of [...happyTask(EXAMPLE_TASK_ID), ...extra]) {
    if (!byType.has(event.type)) byType.set(event.type, IngestEventSchema.parse(event));
  }
  return byType;
}

/** The status a subscriber sees after the first filing of that task completed. */
export function exampleStatus(): TaskStatus {
  const events = happyTask(EXAMPLE_TASK_ID).slice(0, 4);
  const status = events.reduce<TaskStatus | undefined>((s, event, i) => evolve(s, event, i + 1), undefined);
  return TaskStatusSchema.parse(status);
}
