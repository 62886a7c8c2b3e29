import { describe, expect, it } from 'vitest';
import { createIsolationGate } from './isolation-gate';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('the isolation gate', () => {
  it('given two suspects woken by the same change, then only one runs at a time, and nothing beside it', async () => {
    const gate = createIsolationGate();
    const running: string[] = [];
    const seen: string[][] = [];
    const run = async (name: string, kind: 'alone' | 'beside') => {
      const leave = await gate.enter(kind);
      running.push(name);
      seen.push([...running]);
      await tick();
      running.splice(running.indexOf(name), 1);
      leave();
    };
    const ordinary = gate.enter('beside');
    const leaveOrdinary = await ordinary;
    const suspects = [run('a', 'alone'), run('b', 'alone')];
    let pulled = false;
    const pull = gate.beforePull().then(() => (pulled = true));
    await tick();
    expect(seen).toEqual([]); // both wait for the delivery in hand
    leaveOrdinary();
    const late = run('late', 'beside');
    await Promise.all([...suspects, late]);
    await pull;
    expect(seen.every((s) => s.length === 1)).toBe(true);
    expect(seen.map((s) => s[0]).sort()).toEqual(['a', 'b', 'late']);
    expect(pulled).toBe(true);
  });

  it('given no suspect, then ordinary deliveries run side by side and pulls are not held', async () => {
    const gate = createIsolationGate();
    const [a, b] = await Promise.all([gate.enter('beside'), gate.enter('beside')]);
    await expect(Promise.race([gate.beforePull().then(() => 'pulled'), tick().then(() => 'held')])).resolves.toBe(
      'pulled',
    );
    a();
    b();
  });
});
