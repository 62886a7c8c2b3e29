/**
 * The projector's settings when nobody sets them: the environment's defaults (env.ts) and
 * `startProjector`'s for a caller that leaves one out, from this one place.
 */
export const PROJECTOR_DEFAULTS = {
  /** Most events folded and committed in one transaction. */
  batchSize: 2_000,
  /**
   * How long a batch that is not full waits for more events. The browser's live statuses come
   * from the web's edge fold, not from these commits (docs/decisions.md).
   */
  lingerMs: 20,
  /** Tries at one event the database refuses before it becomes a dead letter. */
  poisonAttempts: 3,
  /** `/readyz` fails once the checkpoint has not moved for this long while the stream holds more. */
  stallMs: 60_000,
} as const;
