import { copyStatus, evolveInPlace, isTerminal, type StreamEntry, type TaskStatus } from '@symbology/contracts';
import { SHADOW_TASK_TABLES, writeStatuses, type Queryable } from '@symbology/db';
import { classifyEntry } from '../projections/task-status/classify-entry';
import { markSetAside, NOTHING_SET_ASIDE, type SetAside } from '../projections/task-status/set-aside';

/**
 * The rebuild's fold: every status of the scope in memory (a task is a few kB, tasks are
 * thousands), folded in place (`evolveInPlace`: the fold owns its statuses, so a task's events
 * cost one status, not one copy each) and written to the shadow tables once per task where it can:
 * a task is written during the replay when it is terminal (no later event changes it but one set
 * aside, which makes it due again), the open ones by `flush`.
 */
export class ShadowFold {
  readonly statuses = new Map<string, TaskStatus>();
  /** Changed since last written and terminal: written by the next `startWrite`. */
  private settled = new Set<string>();
  /** Changed since last written and still open: written by `flush` only. */
  private open = new Set<string>();
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

  /** Terminal tasks waiting to be written. */
  get pendingWrites(): number {
    return this.settled.size;
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
      const version = prev?.version;
      const next = this.setAside.has(c.seq) ? markSetAside(prev, c.event, c.seq) : evolveInPlace(prev, c.event, c.seq);
      if (!next || (next === prev && next.version === version)) continue;
      this.statuses.set(taskId, next);
      if (isTerminal(next)) {
        this.open.delete(taskId);
        this.settled.add(taskId);
      } else {
        this.open.add(taskId);
      }
    }
  }

  /**
   * Starts writing the terminal tasks changed since they were last written, unless a write is
   * still running: the fold never waits for Postgres (which works in its own process) during the
   * replay. One write at a time keeps order simple. Returns the write running, if any.
   */
  startWrite(sql: Queryable): Promise<unknown> | undefined {
    this.write(sql, false);
    return this.writing;
  }

  /** Writes everything folded so far, open tasks included, and waits for it. */
  async flush(sql: Queryable): Promise<void> {
    while (this.writing || this.settled.size > 0 || this.open.size > 0) {
      await this.writing;
      this.write(sql, true);
    }
  }

  private write(sql: Queryable, withOpen: boolean): void {
    if (this.writing) return;
    const ids = withOpen ? [...this.settled, ...this.open] : [...this.settled];
    if (ids.length === 0) return;
    this.settled = new Set();
    if (withOpen) this.open = new Set();
    // Copies: the fold goes on changing its statuses in place while Postgres works.
    const batch = ids.map((id) => copyStatus(this.statuses.get(id)!));
    this.writing = writeStatuses(sql, SHADOW_TASK_TABLES, batch).finally(() => (this.writing = undefined));
    // Surfaced by flush(); until then a failed write must not count as unhandled.
    this.writing.catch(() => {});
  }
}
