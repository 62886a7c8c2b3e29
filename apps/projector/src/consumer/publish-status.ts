import type { NatsConnection } from '@nats-io/transport-node';
import { subjects, type TaskStatus } from '@symbology/contracts';

/**
 * Announces each task's new status on core NATS `status.<taskId>`, after the commit that made it
 * true. Fire-and-forget: a subscriber that misses one reads the table, and versions tell it which
 * of two it saw is newer.
 */
export function publishStatuses(nc: NatsConnection, statuses: Iterable<TaskStatus>): void {
  for (const status of statuses) nc.publish(subjects.status(status.taskId), JSON.stringify(status));
}
