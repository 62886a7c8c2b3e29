// The task-status read model: the one owner of `tasks` / `task_filings` (tables, row mapping,
// writes, reads, the shadow copy a rebuild fills). The projector writes it; web and tests read it.
export { taskFilings, tasks } from './tables';
export { LIVE_TASK_TABLES, SHADOW_TASK_TABLES, type TaskTables } from './table-names';
export { TASK_VALUE_COLUMNS, FILING_VALUE_COLUMNS } from './columns';
export { encodeStatuses, type EncodedStatuses } from './encode-statuses';
export { writeEncodedStatuses, writeStatuses } from './write-statuses';
export {
  countActiveTasks,
  loadAllStatuses,
  loadStatuses,
  readTaskStatus,
  readTaskStatusCovered,
  type ProjectedTaskStatus,
} from './read-statuses';
export { analyzeShadowTables, createShadowTables, dropShadowTables } from './shadow-tables';
export { latestEndedTaskId } from './latest-task';
export { standingOf, taskStanding, type TaskStanding } from './task-standing';
export { countQueuedAhead, WAITING_TASK_STATE } from './queued-ahead';
