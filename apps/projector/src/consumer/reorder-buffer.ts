/**
 * Holds delivered messages by stream sequence until they can be folded in order. JetStream may
 * deliver out of order (a nak'd message comes back after later ones; a message lost on a
 * reconnect comes back after ack_wait), and folding a later event first would make evolve skip
 * the earlier one for good. One delivery per sequence is kept, the newest (acking it acks the
 * message; redeliveries during a database outage must not pile up), and at most `capacity`
 * sequences: beyond that the ones furthest ahead are handed back to be nak'd (they come again).
 */
export class ReorderBuffer<T> {
  private readonly bySeq = new Map<number, T>();

  constructor(private readonly capacity = Number.POSITIVE_INFINITY) {}

  get size(): number {
    return this.bySeq.size;
  }

  /**
   * Keeps `item` for `seq` (replacing an older delivery of it) and returns what no longer fits:
   * the item itself when the buffer is full of lower sequences, or the highest held one, evicted
   * to make room for a lower sequence (the lowest are the next to commit).
   */
  add(seq: number, item: T): T[] {
    if (this.bySeq.has(seq) || this.bySeq.size < this.capacity) {
      this.bySeq.set(seq, item);
      return [];
    }
    const highest = this.highest()!;
    if (seq > highest) return [item];
    const evicted = this.bySeq.get(highest)!;
    this.bySeq.delete(highest);
    this.bySeq.set(seq, item);
    return [evicted];
  }

  /** Removes and returns the run of consecutive sequences starting at `next`, at most `max`. */
  takeRun(next: number, max: number): Array<{ seq: number; item: T }> {
    const run: Array<{ seq: number; item: T }> = [];
    for (let seq = next; run.length < max; seq++) {
      const item = this.bySeq.get(seq);
      if (item === undefined) break;
      this.bySeq.delete(seq);
      run.push({ seq, item });
    }
    return run;
  }

  /** Removes and returns everything at or below `seq` (already committed). */
  dropThrough(seq: number): T[] {
    const out: T[] = [];
    for (const [s, item] of this.bySeq) {
      if (s > seq) continue;
      out.push(item);
      this.bySeq.delete(s);
    }
    return out;
  }

  lowest(): number | undefined {
    let low: number | undefined;
    for (const s of this.bySeq.keys()) if (low === undefined || s < low) low = s;
    return low;
  }

  private highest(): number | undefined {
    let high: number | undefined;
    for (const s of this.bySeq.keys()) if (high === undefined || s > high) high = s;
    return high;
  }

  drain(): T[] {
    const all = [...this.bySeq.values()];
    this.bySeq.clear();
    return all;
  }
}
