import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import {
  evolve,
  INGEST_ADVISORIES_STREAM,
  INGEST_STREAM,
  INGESTOR_CONSUMER,
  INGESTOR_MAX_DELIVERIES_SUBJECT,
  isTerminal,
  isTerminalEvent,
  type IngestEvent,
} from '@symbology/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawnIngestor, waitFor, type ChildIngestor } from '../testing/child-ingestor';
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
    // Documents that take far longer than the test: every delivery is still in hand when killed.
    h.mirror.clearFaults();
    h.mirror.clearRequests();
    h.mirror.inject({ pattern: '/Archives/', delayMs: 60_000 });
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
      message: expect.stringMatching(/^The ingestor could not finish this task after 2 deliveries/),
    });
  };

  it('ends the task with one IngestFailed from the max-deliveries advisory, never leaving it processing', async () => {
    let survivor: Awaited<ReturnType<Harness['start']>> | undefined;
    // A replica that is up when the last delivery's holder dies: it never gets the request again
    // (no delivery left), only the server's advisory once ack_wait has passed.
    const taskId = await exhaustDeliveries(async () => {
      survivor = await h.start(SETTINGS);
    });
    await expectFailedAfterTwoDeliveries(taskId, await h.waitForTerminal(taskId, 30_000));
    await survivor?.stop();
  });

  it('ends the task when the advisory fired while no ingestor ran, once one starts; the ticker can be asked for again', async () => {
    const operator = await h.nats.connect('operator');
    let fired = false;
    operator.subscribe(INGESTOR_MAX_DELIVERIES_SUBJECT, { max: 1, callback: () => void (fired = true) });
    const taskId = await exhaustDeliveries();
    // nats-server sends the advisory when a pull finds the request's deliveries spent (after its
    // ack_wait), so an ingestor's pull triggers it. The operator's pull stands in for an ingestor
    // killed between that pull and ending the task: no ingestor is connected when it fires.
    const durable = await jetstream(operator).consumers.get(INGEST_STREAM, INGESTOR_CONSUMER);
    await waitFor(
      async () => {
        // Its deliveries are spent: the pull never gets the request a third time.
        if (!fired) expect(await durable.next({ expires: 1_000 })).toBeNull();
        return fired ? true : undefined;
      },
      30_000,
      'the max-deliveries advisory, no ingestor running',
    );
    const kept = await (await jetstreamManager(operator)).streams.info(INGEST_ADVISORIES_STREAM);
    expect(kept.state.messages).toBeGreaterThanOrEqual(1);
    await operator.close();

    h.mirror.clearFaults();
    const late = await h.start(SETTINGS);
    const events = await h.waitForTerminal(taskId, 30_000);
    await expectFailedAfterTwoDeliveries(taskId, events);
    // What the web's ticker claim reads: a task that ended frees its ticker for a new request.
    const status = events.reduce<ReturnType<typeof evolve> | undefined>((s, e, i) => evolve(s, e, i + 1), undefined);
    expect(status && isTerminal(status)).toBe(true);
    const again = await h.request('SYMB');
    expect((await h.waitForTerminal(again, 60_000)).find(isTerminalEvent)?.type).toBe('IngestCompleted');
    await late.stop();
  }, 120_000);

  it('ends the task from the advisory as it fires when INGEST_ADVISORIES stores nothing (a stream without a leader)', async () => {
    // The test before stored SYMB whole: a task with nothing to fetch would end before a kill.
    await h.forgetFilings();
    const operator = await h.nats.connect('operator');
    const jsm = await jetstreamManager(operator);
    const advisories = await jsm.streams.info(INGEST_ADVISORIES_STREAM);
    // What an election of the stream's leader amounts to as the advisory fires: it is stored nowhere.
    await jsm.streams.update(INGEST_ADVISORIES_STREAM, { subjects: ['symbology.test.advisories-elsewhere'] });
    try {
      let survivor: Awaited<ReturnType<Harness['start']>> | undefined;
      const taskId = await exhaustDeliveries(async () => {
        survivor = await h.start(SETTINGS);
      });
      // Before the fix nothing ended it: the task stayed processing for good.
      await expectFailedAfterTwoDeliveries(taskId, await h.waitForTerminal(taskId, 30_000));
      expect((await jsm.streams.info(INGEST_ADVISORIES_STREAM)).state.messages).toBe(advisories.state.messages);
      await survivor?.stop();
    } finally {
      await jsm.streams.update(INGEST_ADVISORIES_STREAM, { subjects: advisories.config.subjects });
      await operator.close();
    }
  }, 120_000);
});
