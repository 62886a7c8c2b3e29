/**
 * Holds delivered messages by stream sequence until they can be folded in order. JetStream may
 * deliver out of order (a nak'd message comes back after later ones; a message lost on a
 * reconnect comes back after ack_wait), and folding a later event first would make evolve skip
 * the earlier one for good. Several deliveries of one sequence are kept together, to ack them all.
 */
export class ReorderBuffer<T> {
  private readonly bySeq = new Map<number, T[]>();

  get size(): number {
    return this.bySeq.size;
  }

  add(seq: number, item: T): void {
    const list = this.bySeq.get(seq);
    if (list) list.push(item);
    else this.bySeq.set(seq, [item]);
  }

  /** Removes and returns the run of consecutive sequences starting at `next`, at most `max`. */
  takeRun(next: number, max: number): Array<{ seq: number; items: T[] }> {
    const run: Array<{ seq: number; items: T[] }> = [];
    for (let seq = next; run.length < max; seq++) {
      const items = this.bySeq.get(seq);
      if (!items) break;
      this.bySeq.delete(seq);
      run.push({ seq, items });
    }
    return run;
  }

  /** Removes and returns everything at or below `seq` (already committed). */
  dropThrough(seq: number): T[] {
    const out: T[] = [];
    for (const [s, items] of this.bySeq) {
      if (s > seq) continue;
      out.push(...items);
      this.bySeq.delete(s);
    }
    return out;
  }

  lowest(): number | undefined {
    let low: number | undefined;
    for (const s of this.bySeq.keys()) if (low === undefined || s < low) low = s;
    return low;
  }

  drain(): T[] {
    const all = [...this.bySeq.values()].flat();
    this.bySeq.clear();
    return all;
  }
}
