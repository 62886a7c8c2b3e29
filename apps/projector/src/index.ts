export { startProjector, type ProjectorConfig, type RunningProjector, type ProjectorState } from './start-projector';
export { CheckpointMismatchError, RebuildBusyError, SchemaError, StreamMissingError } from './errors';
export { rebuild, type RebuildOptions, type RebuildReport, type RebuildScope } from './rebuild/rebuild';
export { verify, type VerifyReport } from './verify/verify';
export { readLag, type LagReport } from './ops/lag';
