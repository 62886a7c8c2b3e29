import type { TaskStatus } from '@symbology/contracts';

/**
 * Statuses announced by the projector as replacements (`Status-Replace`): the projected status
 * at a version a plain fold of the stream (the edge) may already hold with other content (an
 * event set aside, `rebuild --task`, `dead-letters retry`). The mark travels with the object, so
 * each holder (coalescer, mailbox, broadcast, subscriber) decides the same way without a flag
 * threaded through every push, and a status never marked costs nothing more.
 */
const replacements = new WeakSet<TaskStatus>();

/** Marks `status` (the parsed body of a replacing announcement) as a replacement; returns it. */
export function asReplacement(status: TaskStatus): TaskStatus {
  replacements.add(status);
  return status;
}

/**
 * Whether `next` should take the place of what is held at `heldVersion` (`held`: that status,
 * when known): a newer version, or a replacement of the same version not held already. Versions
 * still never go back, and a replacement passes once per holder (it is then what is held).
 */
export function supersedes(next: TaskStatus, heldVersion: number, held?: TaskStatus): boolean {
  if (next.version !== heldVersion) return next.version > heldVersion;
  return next !== held && replacements.has(next);
}
