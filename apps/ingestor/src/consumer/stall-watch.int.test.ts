import { isTerminalEvent } from '@symbology/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../testing/harness';

describe('a delivery stuck on Postgres (a query that never returns while a lock is held)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('is given up after INGEST_STALL_MS without progress, retried, and its task ends on the last delivery', async () => {
    // Heartbeats alone would keep the stuck delivery (and its worker) for good.
    const ingestor = await h.start({ stallMs: 2_000, maxDeliver: 2, ackWaitMs: 3_000, retryBaseMs: 100 });
    const events = await h.sql.begin(async (tx) => {
      // Every read of `companies` waits behind this lock for as long as the transaction lasts.
      await tx`lock table companies in access exclusive mode`;
      const taskId = await h.request('SYMB');
      return h.waitForTerminal(taskId, 30_000);
    });
    const terminal = events.filter(isTerminalEvent);
    expect(terminal.map((e) => e.type)).toEqual(['IngestFailed']);
    expect(terminal[0]?.type === 'IngestFailed' && terminal[0].data.error.message).toMatch(
      /^The ingestor could not finish this task after 2 attempts/,
    );
    await ingestor.stop();
  });
});
