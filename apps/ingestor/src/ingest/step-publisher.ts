import type { EventContext, IngestEvent, IngestRequested } from '@symbology/contracts';
import type { PublishedEvent } from '@symbology/service';
import type { Logger } from '../logger';

export type PublishFn = (event: IngestEvent) => Promise<PublishedEvent>;

/**
 * Publishes the steps of one task at most once: an event id already read back from the task's
 * history is not sent again (the duplicate window is only 10 minutes; a redelivery can come later),
 * and a PubAck marked duplicate is logged, not counted twice.
 */
export type StepPublisher = (event: IngestEvent) => Promise<void>;

export function createStepPublisher(publish: PublishFn, published: Set<string>, logger: Logger): StepPublisher {
  return async (event) => {
    if (published.has(event.eventId)) {
      logger.debug({ type: event.type, eventId: event.eventId }, 'step already on the stream; not publishing it again');
      return;
    }
    const ack = await publish(event);
    published.add(event.eventId);
    if (ack.duplicate)
      logger.info(
        { type: event.type, eventId: event.eventId, seq: ack.seq },
        'stream dropped a duplicate of this step',
      );
  };
}

/** The context of every step a task publishes: caused by its request, in its correlation. */
export function stepContext(request: IngestRequested, now: () => Date): EventContext {
  return { taskId: request.taskId, correlationId: request.correlationId, causationId: request.eventId, now };
}
