import { INGEST_STREAM, INGESTOR_CONSUMER } from '@symbology/contracts';
import { isConsumerNotFound } from '@symbology/service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../testing/harness';

/**
 * Deletes the ingestor's durable as an operator would, again if nats-server 2.10 refuses with
 * "directory not empty": it can race its own write of the consumer's state (an ack just sent) while
 * removing the consumer's folder, and the operator would simply run the command again.
 */
async function deleteConsumer(h: Harness): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await h.jsm.consumers.delete(INGEST_STREAM, INGESTOR_CONSUMER);
      return;
    } catch (error) {
      // The refused attempt may have removed the consumer after all.
      if (attempt > 1 && isConsumerNotFound(error)) return;
      if (attempt >= 5 || !/directory not empty/.test(String(error))) throw error;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
}

describe('the ingestor when its durable consumer is deleted under it', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('re-creates the durable on consumer_not_found and goes on taking requests', async () => {
    await h.start({ concurrency: 1 });
    await h.waitForTerminal(await h.request('SYMB'));

    // What a role with DELETE rights (the operator) can still do; ingestion must not stop for good.
    await deleteConsumer(h);
    const after = await h.request('FLKY');
    const events = await h.waitForTerminal(after, 45_000);
    expect(events.at(-1)?.type).toMatch(/^Ingest(Completed|Failed)$/);
    const info = await h.jsm.consumers.info(INGEST_STREAM, INGESTOR_CONSUMER);
    expect(info.config.filter_subject).toBe('ingest.*.requested');
  });
});
