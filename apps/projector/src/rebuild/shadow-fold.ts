import { evolve, type StreamEntry, type TaskStatus } from '@symbology/contracts';
import { SHADOW_TASK_TABLES, writeStatuses, type Queryable } from '@symbology/db';
import { classifyEntry } from '../projections/task-status/classify-entry';
import { markSetAside, NOTHING_SET_ASIDE, type SetAside } from '../projections/task-status/set-aside';

/**
 * The rebuild's fold: every status of the scope in memory (a task is a few kB, tasks are
 * thousands), written to the shadow tables in large flushes of the tasks changed since the last.
 */
export class ShadowFold {
  readonly statuses = new Map<string, TaskStatus>();
  private dirty = new Set<string>();
  private writing: Promise<unknown> | undefined;
  read = 0;
  skipped = 0;

  /**
   * `owned`: the tasks of the scope; undefined means every task. `setAside`: events the live
   * projector set aside, folded as it folded them (else the rebuild would meet the same refusal).
   */
  constructor(
    private readonly owned: ReadonlySet<string> | undefined,
    private readonly setAside: SetAside = NOTHING_SET_ASIDE,
  ) {}

  get pendingWrites(): number {
    return this.dirty.size;
  }

  apply(entries: readonly StreamEntry[]): void {
    for (const entry of entries) {
      this.read++;
      const c = classifyEntry(entry);
      if (!c.ok) {
        this.skipped++;
        continue;
      }
      const { taskId } = c.event;
      if (this.owned && !this.owned.has(taskId)) continue;
      const prev = this.statuses.get(taskId);
      const next = this.setAside.has(c.seq) ? markSetAside(prev, c.event, c.seq) : evolve(prev, c.event, c.seq);
      if (!next) continue;
      this.statuses.set(taskId, next);
      this.dirty.add(taskId);
    }
  }

  /**
   * Starts writing the changed tasks unless a write is still running: the fold never waits for
   * Postgres (which works in its own process) during the replay, and the tasks changed meanwhile
   * go in the next write, once however often they changed. One write at a time keeps order simple.
   */
  startWrite(sql: Queryable): void {
    if (this.writing || this.dirty.size === 0) return;
    const batch = [...this.dirty].map((id) => this.statuses.get(id)!);
    this.dirty = new Set();
    this.writing = writeStatuses(sql, SHADOW_TASK_TABLES, batch).finally(() => (this.writing = undefined));
    // Surfaced by flush(); until then a failed write must not count as unhandled.
    this.writing.catch(() => {});
  }

  /** Writes everything folded so far and waits for it. */
  async flush(sql: Queryable): Promise<void> {
    while (this.writing || this.dirty.size > 0) {
      await this.writing;
      this.startWrite(sql);
    }
  }
}
