import { describe, expect, it } from 'vitest';
import type { IngestTaskDeps } from '../ingest/run-ingest-task';
import { TaskStalled, watchStall } from './stall-watch';

/** Just what the watch wraps: an EDGAR call and a publish whose settling the test decides. */
function deps() {
  let settle = () => {};
  const pending = () => new Promise<never>((_, reject) => (settle = () => reject(new Error('answered'))));
  const edgar = { submissions: pending } as unknown as IngestTaskDeps['edgar'];
  const publish = (async () => ({ duplicate: false })) as unknown as IngestTaskDeps['publish'];
  return { task: { edgar, publish } as IngestTaskDeps, settle: () => settle() };
}

describe('watchStall', () => {
  it('given no progress for longer than stallMs, when checked, then it reports the stall', async () => {
    let now = 0;
    const watch = watchStall(1_000, () => now);
    now = 1_000;
    expect(watch.check()).toBe(true);
    now = 1_001;
    expect(watch.check()).toBe(false);
    await expect(watch.stalled).rejects.toBeInstanceOf(TaskStalled);
  });

  it('given an EDGAR answer (even a failure) or a publish, then the wait starts again from it', async () => {
    let now = 0;
    const watch = watchStall(1_000, () => now);
    const { task, settle } = deps();
    const watched = watch.watched(task);
    const call = watched.edgar.submissions('1').catch(() => {});
    now = 900;
    settle();
    await call;
    now = 1_800;
    expect(watch.check()).toBe(true);
    await watched.publish({} as Parameters<IngestTaskDeps['publish']>[0]);
    now = 2_700;
    expect(watch.check()).toBe(true);
    now = 2_801;
    expect(watch.check()).toBe(false);
  });

  it('given a paused wait (the outage hold, bounded on its own), then it is no stall, and the wait starts again after it', async () => {
    let now = 0;
    const watch = watchStall(1_000, () => now);
    let end = () => {};
    const held = watch.paused(new Promise<void>((resolve) => (end = resolve)));
    now = 60_000;
    expect(watch.check()).toBe(true);
    end();
    await held;
    now = 61_000;
    expect(watch.check()).toBe(true);
    now = 61_001;
    expect(watch.check()).toBe(false);
  });
});
