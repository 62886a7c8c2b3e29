import { jetstream } from '@nats-io/jetstream';
import { INGEST_STREAM } from '@symbology/contracts';
import type { RunningNatsCluster, RunningNatsServer } from '@symbology/dev-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProvisionedCluster } from '../testing/provisioned-cluster';
import { connectAs, NATS_CONNECT_TIMEOUT_MS, NATS_MAX_PINGS_OUT, NATS_PING_INTERVAL_MS } from './connect-as';

/**
 * The longest a silent server keeps the client: one ping interval per unanswered ping plus the
 * one in progress, then a dial of the same silent server that times out before the next.
 */
const SILENT_SERVER_BOUND_MS = NATS_PING_INTERVAL_MS * (NATS_MAX_PINGS_OUT + 1) + NATS_CONNECT_TIMEOUT_MS;

describe('connectAs on a three-node cluster whose node it uses freezes', () => {
  let cluster: RunningNatsCluster;
  let frozen: RunningNatsServer | undefined;
  beforeAll(async () => {
    cluster = await startProvisionedCluster();
  });
  afterAll(async () => {
    const pid = frozen?.pid();
    if (pid) process.kill(pid, 'SIGCONT');
    await cluster?.stop();
  });

  it('leaves the SIGSTOPped server for another within the ping bound and publishes again', async () => {
    // A follower of INGEST: the other two keep the stream's quorum, so only the client is stuck.
    const leader = await cluster.streamLeader(INGEST_STREAM);
    const follower = cluster.nodes.find((n) => n !== leader)!;
    const rest = cluster.nodes.filter((n) => n !== follower).map((n) => n.url);
    const nc = await connectAs(
      { ...cluster.credentials('web'), servers: [follower.url, ...rest].join(',') },
      'connect-as-int-test',
      { noRandomize: true },
    );
    try {
      expect(`nats://${nc.getServer()}`).toBe(follower.url);
      const js = jetstream(nc);
      let n = 0;
      const publish = () =>
        js.publish(`ingest.freeze-${n}.requested`, '{}', { msgID: `freeze-${n++}`, timeout: 2_000 });
      await publish();

      frozen = follower;
      process.kill(follower.pid()!, 'SIGSTOP');
      const frozeAt = Date.now();
      const deadline = frozeAt + SILENT_SERVER_BOUND_MS + 15_000;
      for (;;) {
        try {
          await publish();
          break;
        } catch (error) {
          if (Date.now() > deadline) {
            throw new Error(`still no publish ${Date.now() - frozeAt} ms after the freeze`, { cause: error });
          }
          await new Promise((r) => setTimeout(r, 250)); // the next attempt: a poll, not a wait for time to pass
        }
      }
      const resumedAfterMs = Date.now() - frozeAt;
      expect(`nats://${nc.getServer()}`).not.toBe(follower.url);
      // Within the ping bound, plus a reconnect and a publish (not nats.js's 2 min x 2 default).
      expect(resumedAfterMs, `published again ${resumedAfterMs} ms after the freeze`).toBeLessThan(
        SILENT_SERVER_BOUND_MS + 5_000,
      );
    } finally {
      await nc.close();
    }
  }, 120_000);
});
