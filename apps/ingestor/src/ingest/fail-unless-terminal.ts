import { createStepEvent, isTerminalEvent, type IngestRequested } from '@symbology/contracts';
import type { IngestTaskDeps } from './run-ingest-task';

/**
 * Ends a task that could not finish with IngestFailed, unless its history already holds a terminal
 * event (the task finished and only its ack was lost): a task is never ended twice. The event id
 * is deterministic, so replicas that both give up on the same task store it once.
 * Returns whether this call published the terminal event.
 */
export async function failUnlessTerminal(
  request: IngestRequested,
  deps: Pick<IngestTaskDeps, 'history' | 'publish' | 'now' | 'logger'>,
  why: string,
): Promise<boolean> {
  const history = await deps.history(request.taskId);
  const terminal = history.find(isTerminalEvent);
  if (terminal) {
    deps.logger.info({ terminal: terminal.type }, 'task already ended; not ending it again');
    return false;
  }
  const ctx = {
    taskId: request.taskId,
    correlationId: request.correlationId,
    causationId: request.eventId,
    now: deps.now,
  };
  // The cause is in the logs; the event says what a person can do about it.
  const message = `The ingestor could not finish this task ${why}: it was interrupted each time. Ask for the company again to retry.`;
  await deps.publish(
    createStepEvent(ctx, { type: 'IngestFailed', data: { error: { code: 'internal_error', message } } }),
  );
  return true;
}
