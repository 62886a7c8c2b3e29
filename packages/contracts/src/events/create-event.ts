import { CURRENT_SCHEMA_VERSION, type IngestEvent, type IngestEventOf, type IngestEventType } from './ingest-events';
import { stepEventId } from './event-ids';

type Step<T extends IngestEventType> = { type: T; data: IngestEventOf<T>['data'] };

export type EventContext = {
  taskId: string;
  correlationId: string;
  causationId: string | null;
  /** Clock, passed in so tests and replays are deterministic. */
  now: () => Date;
};

/**
 * Builds an event with a deterministic id for (task, type, key): publishing the same step twice
 * gives the same eventId, which JetStream deduplicates. `key` tells apart the steps of one type in
 * a task: a filing's accession, an attempt.
 */
export function createStepEvent<T extends IngestEventType>(
  ctx: EventContext,
  step: Step<T>,
  key?: string,
): IngestEventOf<T> {
  return {
    eventId: stepEventId(ctx.taskId, step.type, key),
    type: step.type,
    schemaVersion: CURRENT_SCHEMA_VERSION[step.type],
    taskId: ctx.taskId,
    occurredAt: ctx.now().toISOString(),
    causationId: ctx.causationId,
    correlationId: ctx.correlationId,
    data: step.data,
  } as IngestEvent as IngestEventOf<T>;
}
