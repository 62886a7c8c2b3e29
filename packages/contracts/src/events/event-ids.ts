import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';

/** Namespace for deterministic event ids (a fixed random UUID; never change it). */
const EVENT_ID_NAMESPACE = '6f1d3a52-8d0e-4c55-9a57-3c2b8f4e9d10';

/** A new task id: UUIDv7, so ids sort by creation time. */
export function newTaskId(): string {
  return uuidv7();
}

/** A new id for an event that is published once (the request that starts a task). */
export function newEventId(): string {
  return uuidv7();
}

/**
 * The same id for the same step of the same task, every time: a retry after a crash publishes an
 * event with the id it had before, and JetStream's duplicate window (plus the ingestor's own
 * read-back) keeps one copy.
 */
export function stepEventId(taskId: string, step: string, key = ''): string {
  return uuidv5(`${taskId}/${step}/${key}`, EVENT_ID_NAMESPACE);
}
