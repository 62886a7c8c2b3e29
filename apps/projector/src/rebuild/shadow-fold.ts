import { evolve, type StreamEntry, type TaskStatus } from '@symbology/contracts';
import { classifyEntry } from '../projections/task-status/classify-entry';
import type { Queryable } from '../projections/task-status/sql-types';
import { SHADOW_TABLES } from '../projections/task-status/tables';
import { writeStatuses } from '../projections/task-status/write-statuses';

/**
 * The rebuild's fold: every status of the scope in memory (a task is a few kB, tasks are
 * thousands), written to the shadow tables in large flushes of the tasks changed since the last.
 */
export class ShadowFold {
  readonly statuses = new Map<string, TaskStatus>();
  private dirty = new Set<string>();
  private writing: Promise<unknown> = Promise.resolve();
  read = 0;
  skipped = 0;
  throughSeq = 0;

  constructor(private readonly owns: (taskId: string, seq: number) => boolean) {}

  get pendingWrites(): number {
    return this.dirty.size;
  }

  apply(entries: readonly StreamEntry[]): void {
    for (const entry of entries) {
      this.read++;
      this.throughSeq = Math.max(this.throughSeq, entry.seq);
      const c = classifyEntry(entry);
      if (!c.ok) {
        this.skipped++;
        continue;
      }
      const { taskId } = c.event;
      if (!this.owns(taskId, c.seq)) continue;
      this.statuses.set(taskId, evolve(this.statuses.get(taskId), c.event, c.seq));
      this.dirty.add(taskId);
    }
  }

  /**
   * Starts writing the changed tasks while the replay goes on folding (Postgres works on the
   * other core); at most one write in flight, so memory and ordering stay simple.
   */
  async flushInBackground(sql: Queryable): Promise<void> {
    await this.writing;
    if (this.dirty.size === 0) return;
    const batch = [...this.dirty].map((id) => this.statuses.get(id)!);
    this.dirty = new Set();
    this.writing = writeStatuses(sql, SHADOW_TABLES, batch);
  }

  async flush(sql: Queryable): Promise<void> {
    await this.flushInBackground(sql);
    await this.writing;
  }
}
