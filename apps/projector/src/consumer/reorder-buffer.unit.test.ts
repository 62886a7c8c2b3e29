import { describe, expect, it } from 'vitest';
import { ReorderBuffer } from './reorder-buffer';

describe('ReorderBuffer', () => {
  it('given deliveries out of order, releases only the run that starts at the next sequence', () => {
    const buffer = new ReorderBuffer<string>();
    for (const seq of [5, 3, 4, 7]) buffer.add(seq, `m${seq}`);
    expect(buffer.takeRun(2, 10)).toEqual([]);
    expect(buffer.takeRun(3, 10).map((r) => r.seq)).toEqual([3, 4, 5]);
    expect(buffer.lowest()).toBe(7);
  });

  it('keeps every delivery of one sequence so that all of them get acked', () => {
    const buffer = new ReorderBuffer<string>();
    buffer.add(1, 'first');
    buffer.add(1, 'redelivered');
    expect(buffer.takeRun(1, 10)).toEqual([{ seq: 1, items: ['first', 'redelivered'] }]);
  });

  it('caps a run at the batch size and drops what a checkpoint already covers', () => {
    const buffer = new ReorderBuffer<number>();
    for (let s = 1; s <= 6; s++) buffer.add(s, s);
    expect(buffer.takeRun(1, 2).map((r) => r.seq)).toEqual([1, 2]);
    expect(buffer.dropThrough(4).sort()).toEqual([3, 4]);
    expect(buffer.size).toBe(2);
  });
});
