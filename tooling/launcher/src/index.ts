export { buildTargets, type BuildReport } from './build/build';
export { TARGET_NAMES, type TargetName } from './build/targets';
export { launchSystem, type LaunchPlan, type RunningSystem } from './launch-system';
export { fileSink } from './output/file-sink';
export type { LogSink, Source } from './output/log-sink';
export { terminalSink } from './output/terminal-sink';
export { assertPortsFree, PortsTakenError, type NeededPort } from './ports/assert-ports-free';
export { portHolder } from './ports/port-holder';
export { readInstanceState, stateFilePath, type InstanceState } from './state-file';
