import { isTerminalEvent } from '@symbology/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnIngestor, waitFor, type ChildIngestor } from '../testing/child-ingestor';
import { startHarness, type Harness } from '../testing/harness';

const SUBMISSIONS = '/data.sec.gov/submissions/CIK0009999999.json';
const ACK_WAIT_MS = 2_000;

describe('a request whose deliveries run out (INGEST_MAX_DELIVER=2, the ingestor killed during each)', () => {
  let h: Harness;
  const children: ChildIngestor[] = [];
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    for (const c of children) if (c.process.exitCode === null) c.process.kill('SIGKILL');
    await h?.close();
  });
  const spawn = () => {
    const child = spawnIngestor(h, process.env, { INGEST_MAX_DELIVER: '2', INGEST_ACK_WAIT_MS: String(ACK_WAIT_MS) });
    children.push(child);
    return child;
  };
  /** The task's delivery `n` is in hand once its submissions read shows in the mirror's log. */
  const deliveryInHand = (n: number) =>
    waitFor(
      async () => (h.mirror.requests().filter((r) => r.path === SUBMISSIONS).length >= n ? true : undefined),
      30_000,
      `delivery ${n} to read the submissions`,
    );

  it('ends the task with one IngestFailed from the max-deliveries advisory, never leaving it processing', async () => {
    // Documents that take far longer than the test: every delivery is still in hand when killed.
    h.mirror.inject({ pattern: '/Archives/', delayMs: 60_000 });
    const first = spawn();
    const taskId = await h.request('SYMB');
    await deliveryInHand(1);
    first.process.kill('SIGKILL');
    await first.exited;

    const second = spawn();
    await deliveryInHand(2);
    // A replica that is up when the last delivery's holder dies: it never gets the request again
    // (no delivery left), only the server's advisory once ack_wait has passed.
    const survivor = await h.start({ maxDeliver: 2, ackWaitMs: ACK_WAIT_MS });
    second.process.kill('SIGKILL');
    await second.exited;

    const events = await h.waitForTerminal(taskId, 30_000);
    const terminals = (await h.stored(taskId)).filter((s) => isTerminalEvent(s.event));
    expect(terminals.map((t) => t.event.type)).toEqual(['IngestFailed']);
    const failed = events.find((e) => e.type === 'IngestFailed');
    expect(failed?.type === 'IngestFailed' && failed.data.error).toEqual({
      code: 'internal_error',
      message: expect.stringMatching(/^The ingestor could not finish this task after 2 deliveries/),
    });
    h.mirror.clearFaults();
    await survivor.stop();
  });
});
