import { countQueuedAhead, WAITING_TASK_STATE } from '@symbology/db';
import type { TaskStatus } from '@symbology/contracts';
import type { TrpcContext } from '../context';

type Deps = Pick<TrpcContext, 'db'>;

/** Where a waiting task stands in the ingestion queue. */
export type QueuePosition = { ahead: number };

/**
 * How many waiting tasks were asked for before this one; null once an ingestor has taken it up
 * (or it has ended): then the queue no longer concerns it.
 */
export async function queuePosition(deps: Deps, status: TaskStatus): Promise<QueuePosition | null> {
  if (status.status !== WAITING_TASK_STATE) return null;
  return { ahead: await countQueuedAhead(deps.db.$client, status.taskId) };
}
