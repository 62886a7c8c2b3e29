import { evolve, newTaskId, type TaskStatus } from '@symbology/contracts';
import { taskEvents } from '@symbology/contracts/testing';
import { describe, expect, it } from 'vitest';
import { LatestQueue } from './latest-queue';
import { asReplacement } from './status-replacement';

const status = (version: number): TaskStatus => evolve(undefined, taskEvents(newTaskId()).requested(), version);
const HOUR = 3_600_000;

describe('LatestQueue: a mailbox holding the newest status', () => {
  it('given a nudge while the reader is not waiting, the next take asks for a re-read at once', async () => {
    const q = new LatestQueue();
    q.nudge();
    // Before the fix the nudge was lost and this waited for the timeout.
    const take = await Promise.race([q.next(HOUR), new Promise((r) => setTimeout(() => r('lost'), 2_000))]);
    expect(take).toEqual({ status: undefined, reread: true });
  });

  it('given a push and a nudge while the reader is busy, both reach it', async () => {
    const q = new LatestQueue();
    q.push(status(3));
    q.nudge();
    await expect(q.next(HOUR)).resolves.toEqual({ status: expect.objectContaining({ version: 3 }), reread: true });
  });

  it('given a replacement of the newest version pushed, wakes the reader with it once; an ordinary copy does not', async () => {
    const q = new LatestQueue();
    const held = status(5);
    q.push(held);
    await q.next(HOUR);
    q.push({ ...held });
    const replacement = asReplacement({ ...held, error: 'set aside' });
    q.push(replacement);
    q.push(replacement);
    await expect(q.next(HOUR)).resolves.toEqual({ status: replacement, reread: false });
    q.push(asReplacement(status(4)));
    await expect(q.next(50)).resolves.toEqual({ status: undefined, reread: true });
  });

  it('keeps only the newest of several pushes, never an older version', async () => {
    const q = new LatestQueue();
    q.push(status(5));
    q.push(status(4));
    q.push(status(7));
    const take = await q.next(HOUR);
    expect(take.status?.version).toBe(7);
    expect(take.reread).toBe(false);
  });

  it('does not wake the reader again for a version it already took (the same status from a second source)', async () => {
    const q = new LatestQueue();
    q.push(status(4));
    await q.next(HOUR);
    q.push(status(4));
    q.push(status(3));
    await expect(q.next(10)).resolves.toEqual({ status: undefined, reread: true });
  });

  it('wakes a waiting reader on a push, and asks a re-read on the timeout', async () => {
    const q = new LatestQueue();
    const waiting = q.next(HOUR);
    q.push(status(2));
    await expect(waiting).resolves.toMatchObject({ status: { version: 2 }, reread: false });
    await expect(q.next(10)).resolves.toEqual({ status: undefined, reread: true });
  });

  it('on close, wakes the reader with nothing to do', async () => {
    const q = new LatestQueue();
    const waiting = q.next(HOUR);
    q.nudge();
    q.close();
    await expect(waiting).resolves.toEqual({ status: undefined, reread: false });
  });
});
