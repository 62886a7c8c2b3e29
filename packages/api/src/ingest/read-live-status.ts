import type { TaskStatus } from '@symbology/contracts';
import { readTaskStatusCovered } from '@symbology/db';
import type { TrpcContext } from '../context';
import { readRequestedStatus } from './read-requested-event';

type Deps = Pick<TrpcContext, 'db' | 'nats'>;

/** The newer of two statuses of one task (both are folds of the stream, versioned by sequence). */
export function newer(a: TaskStatus | undefined, b: TaskStatus | undefined): TaskStatus | undefined {
  if (!a) return b;
  return b && b.version > a.version ? b : a;
}

/**
 * A task's newest status this process can know: from its edge fold when it holds the task (no
 * database read), else the projected status, which is also offered to the edge as the base it
 * folds the task on from then on; a task not projected yet is read from its IngestRequested.
 * While the edge is known to be behind the stream (stalled, catching up) its status may be old:
 * the newer of it and the projected one is taken. Every reader of a status uses it (subscriptions,
 * polling, joining, retry, cancel), so a projector that is down or behind does not show an ended
 * task as running, nor keep its ticker from a new task.
 */
export async function readLiveStatus(deps: Deps, taskId: string): Promise<TaskStatus | undefined> {
  const { fanout, jsm } = deps.nats;
  const onEdge = fanout.edgeStatus(taskId);
  if (onEdge && !fanout.edgeStats?.behind) return onEdge;
  const { status, coveredThrough, streamCreatedAt } = await readTaskStatusCovered(deps.db.$client, taskId);
  const latest = newer(newer(status, onEdge), fanout.foundOnEdge(taskId, status, coveredThrough, streamCreatedAt));
  return latest ?? (await readRequestedStatus(jsm, taskId));
}
