import { INGEST_STREAM, INGESTOR_CONSUMER } from '@symbology/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../testing/harness';

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
    await h.jsm.consumers.delete(INGEST_STREAM, INGESTOR_CONSUMER);
    const after = await h.request('FLKY');
    const events = await h.waitForTerminal(after, 45_000);
    expect(events.at(-1)?.type).toMatch(/^Ingest(Completed|Failed)$/);
    const info = await h.jsm.consumers.info(INGEST_STREAM, INGESTOR_CONSUMER);
    expect(info.config.filter_subject).toBe('ingest.*.requested');
  });
});
