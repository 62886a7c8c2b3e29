import type { TaskStatus } from '@symbology/contracts';
import { readTaskStatus } from '@symbology/db';
import type { TrpcContext } from '../context';
import { readRequestedStatus } from './read-requested-event';

type Deps = Pick<TrpcContext, 'db' | 'nats'>;

/**
 * Postgres first (one atomic read of the projected task); a task asked for a moment ago may
 * exist only on the stream so far.
 */
export async function readStatus(deps: Deps, taskId: string): Promise<TaskStatus | undefined> {
  return (await readTaskStatus(deps.db.$client, taskId)) ?? (await readRequestedStatus(deps.nats.jsm, taskId));
}
