import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  evolve,
  INGEST_ADVISORIES_STREAM,
  INGEST_STREAM,
  INGESTOR_CONSUMER,
  isTerminal,
  isTerminalEvent,
  type IngestEvent,
} from '@symbology/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawnIngestor, waitFor, type ChildIngestor } from '../testing/child-ingestor';
import { provisionIngestorConsumer } from './provision-consumer';
import { startHarness, type Harness } from '../testing/harness';

const ACK_WAIT_MS = 2_000;
const SETTINGS = { maxDeliver: 2, ackWaitMs: ACK_WAIT_MS };

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
  beforeEach(() => {
    // companyfacts and the documents take far longer than the test: every delivery is still in
    // hand when killed, and none has stored anything (a task that stored something ends
    // completed with errors instead: end-interrupted.int.test.ts).
    h.mirror.clearFaults();
    h.mirror.clearRequests();
    h.mirror.inject({ pattern: '/Archives/', delayMs: 60_000 });
    h.mirror.inject({ pattern: '/api/xbrl/companyfacts/', delayMs: 60_000 });
  });
  const spawn = () => {
    const child = spawnIngestor(h, process.env, { INGEST_MAX_DELIVER: '2', INGEST_ACK_WAIT_MS: String(ACK_WAIT_MS) });
    children.push(child);
    return child;
  };
  /** Deliveries the ingestor's durable has made so far (this file's earlier tasks included; 0 before an ingestor made it). */
  const delivered = async () =>
    h.jsm.consumers.info(INGEST_STREAM, INGESTOR_CONSUMER).then(
      (info) => info.delivered.consumer_seq,
      () => 0,
    );
  /**
   * The durable's delivery number `n` is in hand once the server has made it and the holder has
   * asked EDGAR something since `requestsBefore` (a first delivery reads the submissions; a resumed
   * one works from its CompanyResolved and goes straight to companyfacts and the documents).
   */
  const deliveryInHand = (n: number, requestsBefore: number) =>
    waitFor(
      async () => ((await delivered()) >= n && h.mirror.requests().length > requestsBefore ? true : undefined),
      30_000,
      `delivery ${n} to be in hand`,
    );
  /**
   * Requests SYMB and kills the ingestor holding each of its two deliveries. `beforeLastKill` runs
   * while the last delivery is in hand, before its holder dies.
   */
  const exhaustDeliveries = async (beforeLastKill: () => Promise<void> = async () => {}) => {
    const before = await delivered();
    const first = spawn();
    const taskId = await h.request('SYMB');
    await deliveryInHand(before + 1, 0);
    first.process.kill('SIGKILL');
    await first.exited;
    const requestsBefore = h.mirror.requests().length;
    const second = spawn();
    await deliveryInHand(before + 2, requestsBefore);
    await beforeLastKill();
    second.process.kill('SIGKILL');
    await second.exited;
    return taskId;
  };
  const expectFailedAfterTwoDeliveries = async (taskId: string, events: IngestEvent[]) => {
    const terminals = (await h.stored(taskId)).filter((s) => isTerminalEvent(s.event));
    expect(terminals.map((t) => t.event.type)).toEqual(['IngestFailed']);
    const failed = events.find((e) => e.type === 'IngestFailed');
    expect(failed?.type === 'IngestFailed' && failed.data.error).toEqual({
      code: 'internal_error',
      message: expect.stringMatching(/^The ingestor could not finish this task after 2 attempts/),
    });
  };

  /**
   * Runs `during` while INGEST_ADVISORIES stores nothing, as while it has no leader (an election):
   * nothing here may rest on the server's advisory, and none is stored meanwhile.
   */
  const withAdvisoriesStoredNowhere = async (during: (operator: NatsConnection) => Promise<void>) => {
    const operator = await h.nats.connect('operator');
    const jsm = await jetstreamManager(operator);
    const advisories = await jsm.streams.info(INGEST_ADVISORIES_STREAM);
    await jsm.streams.update(INGEST_ADVISORIES_STREAM, { subjects: ['symbology.test.advisories-elsewhere'] });
    try {
      await during(operator);
      expect((await jsm.streams.info(INGEST_ADVISORIES_STREAM)).state.messages).toBe(advisories.state.messages);
    } finally {
      await jsm.streams.update(INGEST_ADVISORIES_STREAM, { subjects: advisories.config.subjects });
      await operator.close();
    }
  };

  it('ends the task with one IngestFailed on the delivery after the last, whatever happens to the advisories', async () => {
    await h.forgetFilings();
    await withAdvisoriesStoredNowhere(async () => {
      let survivor: Awaited<ReturnType<Harness['start']>> | undefined;
      // A replica up when the last delivery's holder dies gets the request once more, after ack_wait.
      const taskId = await exhaustDeliveries(async () => {
        survivor = await h.start(SETTINGS);
      });
      expect((await h.jsm.consumers.info(INGEST_STREAM, INGESTOR_CONSUMER)).config.max_deliver).toBe(-1);
      await expectFailedAfterTwoDeliveries(taskId, await h.waitForTerminal(taskId, 30_000));
      await survivor?.stop();
    });
  }, 120_000);

  it('ends the task once an ingestor starts, when none was connected as its deliveries ran out; the ticker can be asked for again', async () => {
    await h.forgetFilings();
    // The case an advisory could not cover: no stored copy and nobody listening as it fires.
    await withAdvisoriesStoredNowhere(async (operator) => {
      const taskId = await exhaustDeliveries();
      // An ingestor that pulls the request once more and dies at once (the operator's pull, never
      // acked) is what made the server advise under the old setting, with nobody to hear it.
      const durable = await jetstream(operator).consumers.get(INGEST_STREAM, INGESTOR_CONSUMER);
      const again = await waitFor(
        async () => (await durable.next({ expires: 1_000 })) ?? undefined,
        30_000,
        'a delivery past the last',
      );
      expect(again.info.deliveryCount).toBe(3);
      h.mirror.clearFaults();
      const late = await h.start(SETTINGS);
      const events = await h.waitForTerminal(taskId, 30_000);
      await expectFailedAfterTwoDeliveries(taskId, events);
      // What the web's ticker claim reads: a task that ended frees its ticker for a new request.
      const status = events.reduce<ReturnType<typeof evolve> | undefined>((s, e, i) => evolve(s, e, i + 1), undefined);
      expect(status && isTerminal(status)).toBe(true);
      const next = await h.request('SYMB');
      expect((await h.waitForTerminal(next, 60_000)).find(isTerminalEvent)?.type).toBe('IngestCompleted');
      await late.stop();
    });
  }, 120_000);

  it('ends the task of an advisory stored before the upgrade, when the durable still gave requests up', async () => {
    await h.forgetFilings();
    h.mirror.clearFaults();
    const operator = await h.nats.connect('operator');
    const jsm = await jetstreamManager(operator);
    const stored = (await jsm.streams.info(INGEST_ADVISORIES_STREAM)).state.messages;
    // The durable as an earlier version set it: one delivery, then the server gives up and advises
    // (created first when no ingestor has run yet, as when this test runs on its own).
    await provisionIngestorConsumer(jsm, { ackWaitMs: ACK_WAIT_MS, maxAckPending: 64 });
    await jsm.consumers.update(INGEST_STREAM, INGESTOR_CONSUMER, { max_deliver: 1 });
    const taskId = await h.request('SYMB');
    const durable = await jetstream(operator).consumers.get(INGEST_STREAM, INGESTOR_CONSUMER);
    // The operator's pull stands in for an ingestor killed holding the request's only delivery.
    expect((await durable.next({ expires: 5_000 }))?.seq).toBeGreaterThan(0);
    await waitFor(
      async () => {
        // A pull after ack_wait finds the deliveries spent: the server stores its advisory.
        if ((await jsm.streams.info(INGEST_ADVISORIES_STREAM)).state.messages > stored) return true;
        expect(await durable.next({ expires: 1_000 })).toBeNull();
        return undefined;
      },
      30_000,
      'the max-deliveries advisory on INGEST_ADVISORIES',
    );
    await operator.close();
    // The upgraded ingestor unbounds the durable; whether the server then delivers the request
    // again (past INGEST_MAX_DELIVER: ended) or only the advisory ends it, the task ends once.
    const upgraded = await h.start({ maxDeliver: 1, ackWaitMs: ACK_WAIT_MS });
    await h.waitForTerminal(taskId, 30_000);
    const terminals = (await h.stored(taskId)).filter((s) => isTerminalEvent(s.event)).map((s) => s.event);
    expect(terminals).toEqual([
      expect.objectContaining({
        type: 'IngestFailed',
        data: { error: expect.objectContaining({ code: 'internal_error' }) },
      }),
    ]);
    await upgraded.stop();
  }, 120_000);
});
