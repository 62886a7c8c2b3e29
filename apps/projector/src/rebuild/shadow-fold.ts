import { evolveInPlace, isTerminal, type StreamEntry, type TaskStatus } from '@symbology/contracts';
import { encodeStatuses, type EncodedStatuses } from '@symbology/db/encode-statuses';
import { classifyEntry } from '../projections/task-status/classify-entry';
import { markSetAside, NOTHING_SET_ASIDE, type SetAside } from '../projections/task-status/set-aside';

/**
 * The rebuild's fold: every status of the scope in memory (a task is a few kB, tasks are
 * thousands), folded in place (`evolveInPlace`: the fold owns its statuses, so a task's events
 * cost one status, not one copy each) and written to the shadow tables once per task where it can:
 * a task is due during the replay when it is terminal (no later event changes it but one set
 * aside, which makes it due again), the open ones at the end. It runs in a rebuild worker thread
 * (or on the main thread with no workers) and hands out rows ready to send, never writing itself.
 */
export class ShadowFold {
  readonly statuses = new Map<string, TaskStatus>();
  /** Changed since last taken and terminal: due at the next `takeDue`. */
  private settled = new Set<string>();
  /** Changed since last taken and still open: due only at a `takeDue(true)`. */
  private open = new Set<string>();
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
   * Takes the tasks due to be written and encodes their rows: the terminal ones changed since
   * they were last taken, and with `withOpen` the open ones too (the end of a replay). Encoding
   * is synchronous, so the fold may go on changing its statuses in place right after.
   */
  takeDue(withOpen: boolean): EncodedStatuses | undefined {
    const ids = withOpen ? [...this.settled, ...this.open] : [...this.settled];
    if (ids.length === 0) return undefined;
    this.settled = new Set();
    if (withOpen) this.open = new Set();
    return encodeStatuses(ids.map((id) => this.statuses.get(id)!));
  }
}
