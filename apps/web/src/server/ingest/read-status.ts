import type { TaskStatus } from '@symbology/contracts';
import type { TrpcContext } from '../context';
import { readProjectedStatus } from './read-projected-status';
import { readRequestedStatus } from './read-requested-event';

type Deps = Pick<TrpcContext, 'db' | 'nats'>;

/** Postgres first; a task asked for a moment ago may exist only on the stream so far. */
export async function readStatus(deps: Deps, taskId: string): Promise<TaskStatus | undefined> {
  return (await readProjectedStatus(deps.db, taskId)) ?? (await readRequestedStatus(deps.nats.jsm, taskId));
}
