/** The INGEST stream is missing: provisioning has not run against this NATS. */
export class StreamMissingError extends Error {
  override readonly name = 'StreamMissingError';
}

/**
 * The checkpoint does not belong to the stream: it is ahead of the stream's head or was written
 * for a stream with another creation time (the stream was deleted and recreated).
 */
export class CheckpointMismatchError extends Error {
  override readonly name = 'CheckpointMismatchError';
}

/** A `rebuild --task` or `--from-seq` whose scope holds no task: a wrong id or sequence, nothing to rebuild. */
export class EmptyRebuildScopeError extends Error {
  override readonly name = 'EmptyRebuildScopeError';
}

/** Another rebuild holds the rebuild lock. */
export class RebuildBusyError extends Error {
  override readonly name = 'RebuildBusyError';
}

/** The checkpoint moved under a batch: another writer (or a rebuild's reset) committed first. */
export class CheckpointMovedError extends Error {
  override readonly name = 'CheckpointMovedError';
}

/** The database schema is missing or wrong: retrying will not help, migrations will. */
export class SchemaError extends Error {
  override readonly name = 'SchemaError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Folding an event threw: a bug or an event the fold cannot handle, the same on every retry. */
export class FoldError extends Error {
  override readonly name = 'FoldError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** This instance no longer holds the writer lock (its session died): it must not write. */
export class LockLostError extends Error {
  override readonly name = 'LockLostError';
}

/** A rebuild worker thread threw, could not start or exited: the rebuild fails with it. */
export class RebuildWorkerError extends Error {
  override readonly name = 'RebuildWorkerError';
}
