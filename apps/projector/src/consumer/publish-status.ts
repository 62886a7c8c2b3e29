import { headers, type NatsConnection } from '@nats-io/transport-node';
import { STATUS_VERSION_HEADER, subjects, type TaskStatus } from '@symbology/contracts';

/**
 * Announces each task's new status on core NATS `status.<taskId>`, after the commit that made it
 * true, its version also in a header (a subscriber that already holds it skips the body).
 * Fire-and-forget: a subscriber that misses one reads the table, and versions tell it which of
 * two it saw is newer.
 */
export function publishStatuses(nc: NatsConnection, statuses: Iterable<TaskStatus>): void {
  for (const status of statuses) {
    const h = headers();
    h.set(STATUS_VERSION_HEADER, String(status.version));
    nc.publish(subjects.status(status.taskId), JSON.stringify(status), { headers: h });
  }
}
