import { describe, expect, it } from 'vitest';
import { isPortClash, retryOnPortClash } from './port-clash';

const clash = () =>
  Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:4222'), { code: 'EADDRINUSE' });

describe('retryOnPortClash', () => {
  it('given a start that lost its port, then it is started again, and the second start is what it resolves to', async () => {
    const attempts: number[] = [];
    const started = await retryOnPortClash(async (attempt) => {
      attempts.push(attempt);
      if (attempt === 1) throw clash();
      return 'running';
    });
    expect(started).toBe('running');
    expect(attempts).toEqual([1, 2]);
  });

  it('given a failure that is not a port clash, then it is thrown at once', async () => {
    let calls = 0;
    await expect(
      retryOnPortClash(async () => {
        calls++;
        throw new Error('password authentication failed');
      }),
    ).rejects.toThrow(/password/);
    expect(calls).toBe(1);
  });

  it('given every start loses its port, then the last clash is thrown after the attempts allowed', async () => {
    let calls = 0;
    await expect(
      retryOnPortClash(
        async () => {
          calls++;
          throw clash();
        },
        { attempts: 3 },
      ),
    ).rejects.toThrow(/EADDRINUSE/);
    expect(calls).toBe(3);
  });
});

describe('isPortClash', () => {
  it.each([
    ['a Node listen error', clash()],
    [
      'a nats-server log wrapped as a cause',
      new Error('not ready', { cause: new Error('bind: address already in use') }),
    ],
    ['a Postgres log', new Error('could not bind IPv4 address "127.0.0.1": Address already in use')],
    [
      "the launcher's refusal",
      Object.assign(new Error('port 3000 (web) is taken by pid 1'), { name: 'PortsTakenError' }),
    ],
  ])('says yes to %s', (_what, error) => expect(isPortClash(error)).toBe(true));

  it('says no to anything else', () => {
    expect(isPortClash(new Error('ECONNREFUSED'))).toBe(false);
    expect(isPortClash(undefined)).toBe(false);
  });
});
