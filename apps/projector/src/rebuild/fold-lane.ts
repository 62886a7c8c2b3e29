import type { StreamEntry, TaskStatus } from '@symbology/contracts';
import type { EncodedStatuses } from '@symbology/db/encode-statuses';
import type { Worker } from 'node:worker_threads';
import type { SetAside } from '../projections/task-status/set-aside';
import { ShadowFold } from './shadow-fold';

/** What a lane's fold starts from: the scope's tasks (undefined: every task) and the events set aside. */
export type LaneInit = { owned: ReadonlySet<string> | undefined; setAside: SetAside };

/** A lane's answer to a chunk or a flush: how many entries did not parse, and rows due to be written. */
export type LaneReply = { skipped: number; rows: EncodedStatuses | undefined };

/**
 * Terminal tasks a lane gathers before it hands their rows over. Small batches keep Postgres
 * busy during the replay, so little is left to write once the read ends.
 */
const WRITE_TASKS = 500;

/**
 * One fold over a share of the rebuild's tasks (every event of a task goes to the same lane),
 * in a worker thread or inline on the main thread. Answers come in the order of the requests.
 */
export type FoldLane = {
  /** The first request: lanes start before the scope is known, so a thread loads meanwhile. */
  init(init: LaneInit): Promise<LaneReply>;
  apply(entries: readonly StreamEntry[]): Promise<LaneReply>;
  /** Rows of every task changed since last handed over, open ones included. */
  flush(): Promise<LaneReply>;
  statuses(): Promise<TaskStatus[]>;
  close(): Promise<void>;
  /** The lane's thread, if it has one. */
  readonly thread?: Worker;
};

/** A lane's work, the same wherever it runs. */
export class LaneFold {
  private readonly fold: ShadowFold;

  constructor(init: LaneInit) {
    this.fold = new ShadowFold(init.owned, init.setAside);
  }

  apply(entries: readonly StreamEntry[]): LaneReply {
    const before = this.fold.skipped;
    this.fold.apply(entries);
    const rows = this.fold.pendingWrites >= WRITE_TASKS ? this.fold.takeDue(false) : undefined;
    return { skipped: this.fold.skipped - before, rows };
  }

  flush(): LaneReply {
    return { skipped: 0, rows: this.fold.takeDue(true) };
  }

  statuses(): TaskStatus[] {
    return [...this.fold.statuses.values()];
  }
}

/** The fold on the main thread: no workers (PROJECTOR_REBUILD_WORKERS=0). */
export function inlineLane(): FoldLane {
  let fold: LaneFold | undefined;
  const started = () => {
    if (!fold) throw new Error('inline lane used before init');
    return fold;
  };
  return {
    init: async (init) => {
      fold = new LaneFold(init);
      return { skipped: 0, rows: undefined };
    },
    apply: async (entries) => started().apply(entries),
    flush: async () => started().flush(),
    statuses: async () => started().statuses(),
    close: async () => {},
  };
}
