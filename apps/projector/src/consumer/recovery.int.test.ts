import { jetstream } from '@nats-io/jetstream';
import { INGEST_STREAM, newTaskId, TASK_STATUS_PROJECTION } from '@symbology/contracts';
import { taskWithOneFailure } from '@symbology/contracts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProjector } from '../start-projector';
import { startHarness, type Harness } from '../testing/harness';
import { publishAll } from '../testing/publish-all';

describe('a projector restarted while a dead instance holds the leases', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('reads what is leased from the stream within seconds instead of waiting out ack_wait (30 s)', async () => {
    const first = await startProjector(h.config);
    await first.running;
    await first.stop();
    await publishAll(h.pub, taskWithOneFailure(newTaskId()));
    const head = await h.head();

    // A projector that pulled everything pending and died (kill -9: no nak) leaves it leased.
    const consumer = await jetstream(h.operator).consumers.get(INGEST_STREAM, TASK_STATUS_PROJECTION);
    let leased = 0;
    for await (const m of await consumer.fetch({ max_messages: head, expires: 2_000 })) {
      leased++;
      if (m.seq === head) break;
    }
    expect(leased).toBe(head);

    const started = Date.now();
    // The production gap timeout (5 s), so that the figure printed is the one an operator sees.
    const projector = await startProjector({ ...h.config, gapTimeoutMs: 5_000 });
    try {
      await h.waitForCheckpoint(head, 25_000);
      const ms = Date.now() - started;
      console.log(`recovered ${head} leased events in ${ms} ms (ack_wait 30,000 ms)`);
      expect(ms).toBeLessThan(15_000);
      expect((await h.cli('verify')).code).toBe(0);
    } finally {
      await projector.stop();
    }
  });
});
