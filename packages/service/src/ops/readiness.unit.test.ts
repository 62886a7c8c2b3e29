import { describe, expect, it } from 'vitest';
import { runReadiness, stateCheck, type ReadinessCheck } from './readiness';

const never = () => new Promise<never>(() => {});

describe('runReadiness', () => {
  it('given every check passing, then ready with nothing failing', async () => {
    const report = await runReadiness([stateCheck('loop', () => true), { name: 'db', run: () => ({ ok: true }) }]);
    expect(report).toEqual({ ready: true, checks: { loop: { ok: true }, db: { ok: true } }, failing: [] });
  });

  it('given a check that throws, one that hangs and one that says no, then all three are listed with why', async () => {
    const checks: ReadinessCheck[] = [
      { name: 'nats', run: () => Promise.reject(new Error('connection disconnected')) },
      { name: 'postgres', run: never, timeoutMs: 20 },
      stateCheck('writer', () => ({ ok: false, detail: 'waiting-for-lock' })),
      stateCheck('fine', () => true),
    ];
    const report = await runReadiness(checks);
    expect(report.ready).toBe(false);
    expect(report.failing).toEqual(['nats', 'postgres', 'writer']);
    expect(report.checks).toEqual({
      nats: { ok: false, detail: 'connection disconnected' },
      postgres: { ok: false, detail: 'no answer within 20 ms' },
      writer: { ok: false, detail: 'waiting-for-lock' },
      fine: { ok: true },
    });
  });

  it('given a check that throws synchronously, then it fails alone instead of failing the probe', async () => {
    const report = await runReadiness([
      {
        name: 'sync',
        run: () => {
          throw new TypeError('boom');
        },
      },
    ]);
    expect(report).toEqual({ ready: false, checks: { sync: { ok: false, detail: 'boom' } }, failing: ['sync'] });
  });

  it('given two checks that each wait for the other to start, then both pass: they run at once', async () => {
    let startA = () => {};
    let startB = () => {};
    const aStarted = new Promise<void>((r) => (startA = r));
    const bStarted = new Promise<void>((r) => (startB = r));
    const report = await runReadiness([
      { name: 'a', run: async () => (startA(), await bStarted, { ok: true }), timeoutMs: 2_000 },
      { name: 'b', run: async () => (startB(), await aStarted, { ok: true }), timeoutMs: 2_000 },
    ]);
    expect(report.failing).toEqual([]);
  });
});
