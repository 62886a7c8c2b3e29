import { errors } from '@nats-io/transport-node';
import { describe, expect, it, vi } from 'vitest';
import { untilAvailable } from './until-available';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('untilAvailable', () => {
  it('given a backend that refuses twice, when the step runs, then it waits and returns the third answer', async () => {
    const step = vi
      .fn()
      .mockRejectedValueOnce(refused())
      .mockRejectedValueOnce(new errors.TimeoutError())
      .mockResolvedValue(7);
    const waits: number[] = [];
    await expect(untilAvailable(step, (_e, _a, delayMs) => waits.push(delayMs))).resolves.toBe(7);
    expect(waits).toEqual([250, 500]);
  });

  it('given a refusal that waiting cannot fix, when the step runs, then it throws at once', async () => {
    const missing = new Error('relation "projection_checkpoints" does not exist');
    const onWait = vi.fn();
    await expect(untilAvailable(() => Promise.reject(missing), onWait)).rejects.toBe(missing);
    expect(onWait).not.toHaveBeenCalled();
  });

  it('given an aborted signal, when the backend is still away, then it throws the last failure', async () => {
    const abort = new AbortController();
    const step = vi.fn(() => {
      abort.abort();
      return Promise.reject(refused());
    });
    await expect(untilAvailable(step, () => {}, { signal: abort.signal })).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });
});
