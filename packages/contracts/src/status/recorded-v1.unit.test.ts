import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { foldStream, type StreamEntry } from './fold-stream';
import type { TaskStatus } from './task-status';

const recorded = (name: string) => readFileSync(new URL(`./recorded/${name}`, import.meta.url), 'utf8');

/**
 * `recorded/` holds a stream written by the v1 ingestor (schemaVersion 1 throughout) and the statuses
 * the v1 fold made of it, both captured before the v2 change: a complete task, a task with two failed
 * filings (then shown as completed), an unknown ticker.
 */
const entries: StreamEntry[] = recorded('v1-stream.jsonl')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as StreamEntry);
const v1Statuses = JSON.parse(recorded('v1-statuses.json')) as Omit<
  TaskStatus,
  'mode' | 'alreadyStored' | 'cancelRequested'
>[];

describe('a stream written before schemaVersion 2', () => {
  it('is entirely v1 events', () => {
    expect(
      entries.every((e) => (JSON.parse(e.payload as string) as { schemaVersion: number }).schemaVersion === 1),
    ).toBe(true);
  });

  it('folds through the upcasters to the statuses it had, the new fields at their defaults', () => {
    const { statuses, skipped } = foldStream(entries);
    expect(skipped).toEqual([]);
    expect(statuses.size).toBe(v1Statuses.length);
    for (const before of v1Statuses) {
      expect(statuses.get(before.taskId)).toEqual({
        ...before,
        mode: 'initial',
        alreadyStored: 0,
        cancelRequested: false,
        filings: before.filings.map((f) => ({ ...f, missing: [] })),
      });
    }
  });
});
