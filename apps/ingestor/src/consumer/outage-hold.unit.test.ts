import { describe, expect, it } from 'vitest';
import { outageHold } from './outage-hold';

const down = () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));

describe('outageHold', () => {
  it('given a database that answers on the second probe, then the hold ends answered', async () => {
    let probes = 0;
    const hold = outageHold({ maxMs: 60_000, probe: () => (++probes < 2 ? down() : Promise.resolve()) });
    await expect(hold.waitForDatabase()).resolves.toMatchObject({ kind: 'answered' });
    expect(probes).toBe(2);
  });

  it('given a database that never answers, then the hold expires at its bound, shared by the delivery’s later holds', async () => {
    const hold = outageHold({ maxMs: 300, probe: down });
    const first = await hold.waitForDatabase();
    expect(first.kind).toBe('expired');
    expect(first.heldMs).toBeGreaterThanOrEqual(290);
    // The bound is the delivery's, not each hold's: a second outage in it gets no fresh budget.
    await expect(hold.waitForDatabase()).resolves.toMatchObject({ kind: 'expired', heldMs: 0 });
  });

  it('given a drain while held, then the hold ends at once to hand the request back', async () => {
    const drain = new AbortController();
    const hold = outageHold({ maxMs: 60_000, probe: down, drain: drain.signal });
    const waiting = hold.waitForDatabase();
    setTimeout(() => drain.abort(), 50);
    const started = Date.now();
    await expect(waiting).resolves.toMatchObject({ kind: 'handed_back' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('given a probe that hangs, then the drain still ends the hold at once', async () => {
    const drain = new AbortController();
    let probed = false;
    const hang = () => {
      probed = true;
      return new Promise<never>(() => {});
    };
    const hold = outageHold({ maxMs: 60_000, probe: hang, drain: drain.signal });
    const waiting = hold.waitForDatabase();
    await expect.poll(() => probed).toBe(true);
    drain.abort();
    await expect(waiting).resolves.toMatchObject({ kind: 'handed_back' });
  });
});
