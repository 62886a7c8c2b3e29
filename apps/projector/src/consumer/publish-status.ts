import { headers, type NatsConnection } from '@nats-io/transport-node';
import { STATUS_REPLACE_HEADER, STATUS_VERSION_HEADER, subjects, type TaskStatus } from '@symbology/contracts';

/**
 * Announces each task's new status on core NATS `status.<taskId>`, after the commit that made it
 * true, its version also in a header (a subscriber that already holds it skips the body).
 * Fire-and-forget: a subscriber that misses one reads the table, and versions tell it which of
 * two it saw is newer. `replaces` picks the statuses that correct what a plain fold of the stream
 * holds at their version (an event set aside, a partial rebuild): they carry `Status-Replace: 1`,
 * so that a web process folding the stream itself takes them instead of dropping them as held.
 */
export function publishStatuses(
  nc: NatsConnection,
  statuses: Iterable<TaskStatus>,
  replaces: (status: TaskStatus) => boolean = () => false,
): void {
  for (const status of statuses) {
    const h = headers();
    h.set(STATUS_VERSION_HEADER, String(status.version));
    if (replaces(status)) h.set(STATUS_REPLACE_HEADER, '1');
    nc.publish(subjects.status(status.taskId), JSON.stringify(status), { headers: h });
  }
}
