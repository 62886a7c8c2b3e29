import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTickerRefresh } from './ticker-refresh';

const logger = pino({ level: 'silent' });
const HOUR = 3_600_000;

describe('startTickerRefresh', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('when started, then the map loads at once, and is checked again every interval', async () => {
    const refresh = vi.fn(async () => {});
    const loop = startTickerRefresh({ directory: { refresh }, logger, checkEveryMs: HOUR });
    await vi.advanceTimersByTimeAsync(0);
    expect(refresh).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(refresh).toHaveBeenCalledTimes(2);
    loop.stop();
    await vi.advanceTimersByTimeAsync(10 * HOUR);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('when EDGAR fails at boot, then nothing throws and it retries with a growing delay, capped at the interval', async () => {
    let fail = 3;
    const refresh = vi.fn(async () => {
      if (fail-- > 0) throw new Error('EDGAR unreachable');
    });
    const loop = startTickerRefresh({ directory: { refresh }, logger, checkEveryMs: HOUR, firstRetryMs: 1_000 });
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(999);
    expect(refresh).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(refresh).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(refresh).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(refresh).toHaveBeenCalledTimes(4); // succeeded: back to the hourly check
    await vi.advanceTimersByTimeAsync(HOUR - 1);
    expect(refresh).toHaveBeenCalledTimes(4);
    await vi.advanceTimersByTimeAsync(1);
    expect(refresh).toHaveBeenCalledTimes(5);
    loop.stop();
  });
});
