import type { IngestCompleted, IngestEvent } from '../events/ingest-events';

/** The events of one type among a task's events, typed as that event. */
export function byType<T extends IngestEvent['type']>(
  events: readonly IngestEvent[],
  type: T,
): Extract<IngestEvent, { type: T }>[] {
  return events.filter((e): e is Extract<IngestEvent, { type: T }> => e.type === type);
}

/** What the task's IngestCompleted says (outcome and counts), or undefined if it did not complete. */
export function completion(events: readonly IngestEvent[]): IngestCompleted['data'] | undefined {
  return byType(events, 'IngestCompleted')[0]?.data;
}
