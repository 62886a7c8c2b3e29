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

  it('given redeliveries of held sequences (a database outage, every ack_wait), keeps one per sequence: the newest', () => {
    const buffer = new ReorderBuffer<string>(100);
    for (let round = 1; round <= 50; round++) for (const seq of [2, 3, 4]) buffer.add(seq, `m${seq}.${round}`);
    expect(buffer.size).toBe(3);
    buffer.add(1, 'm1');
    expect(buffer.takeRun(1, 10)).toEqual([
      { seq: 1, item: 'm1' },
      { seq: 2, item: 'm2.50' },
      { seq: 3, item: 'm3.50' },
      { seq: 4, item: 'm4.50' },
    ]);
  });

  it('given a full buffer, hands back what lies furthest ahead, never the next sequences to commit', () => {
    const buffer = new ReorderBuffer<number>(3);
    for (const seq of [10, 11, 12]) expect(buffer.add(seq, seq)).toEqual([]);
    expect(buffer.add(13, 13)).toEqual([13]);
    expect(buffer.add(11, 11)).toEqual([]);
    expect(buffer.add(5, 5)).toEqual([12]);
    expect(buffer.size).toBe(3);
    expect(buffer.lowest()).toBe(5);
  });

  it('caps a run at the batch size and drops what a checkpoint already covers', () => {
    const buffer = new ReorderBuffer<number>();
    for (let s = 1; s <= 6; s++) buffer.add(s, s);
    expect(buffer.takeRun(1, 2).map((r) => r.seq)).toEqual([1, 2]);
    expect(buffer.dropThrough(4).sort()).toEqual([3, 4]);
    expect(buffer.size).toBe(2);
  });
});
