import type { JsMsg } from '@nats-io/jetstream';
import { INGEST_STREAM, INGESTOR_CONSUMER, isTerminalEvent } from '@symbology/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../testing/harness';
import { waitFor } from '../testing/child-ingestor';

describe('terminal finality: a task is ended exactly once', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('when the ack fails right after IngestCompleted on the last delivery, no IngestFailed follows', async () => {
    const failedAcks: number[] = [];
    const acks: number[] = [];
    // The fault sits exactly after the terminal event is on the stream: the ackAck that follows it.
    const acknowledge = async (msg: JsMsg) => {
      if (msg.info.deliveryCount === 1) {
        failedAcks.push(msg.info.deliveryCount);
        throw new Error('ackAck timed out (injected)');
      }
      acks.push(msg.info.deliveryCount);
      return msg.ackAck();
    };
    const ingestor = await h.start({ maxDeliver: 1, ackWaitMs: 2_000 }, { acknowledge });
    const taskId = await h.request('SYMB');
    await h.waitForTerminal(taskId);
    await waitFor(async () => (failedAcks.length > 0 ? true : undefined), 10_000, 'the failed ack');
    // The request comes back after ack_wait, past its last delivery: that one may only find the
    // task ended and ack it, never publish a fallback.
    await waitFor(
      async () =>
        (await h.jsm.consumers.info(INGEST_STREAM, INGESTOR_CONSUMER)).num_ack_pending === 0 ? true : undefined,
      15_000,
      'the delivery after the last to ack the request',
    );
    const terminals = (await h.stored(taskId)).filter((s) => isTerminalEvent(s.event));
    expect(terminals.map((t) => t.event.type)).toEqual(['IngestCompleted']);
    expect(failedAcks).toEqual([1]);
    expect(acks).toEqual([2]);
    await ingestor.stop();
  });
});
