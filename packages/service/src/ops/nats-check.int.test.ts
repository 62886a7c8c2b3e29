import type { RunningNatsCluster, RunningNatsServer } from '@symbology/dev-services';
import { Registry } from 'prom-client';
import { INGEST_STREAM } from '@symbology/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProvisionedCluster } from '../testing/provisioned-cluster';
import { connectAs } from '../connect/connect-as';
import { natsCheck } from './nats-check';
import { startOpsServer, type OpsServer } from './ops-server';

type Readyz = { ready: boolean; checks: Record<string, { ok: boolean; detail?: string }>; failing: string[] };

async function readyz(ops: OpsServer): Promise<{ status: number; body: Readyz }> {
  const res = await fetch(`${ops.url}/readyz`);
  return { status: res.status, body: (await res.json()) as Readyz };
}

/** Polls /readyz until `until` holds, or fails after 30 s (an R3 stream notices its lost quorum within about 10 s). */
async function readyzUntil(ops: OpsServer, until: (r: { status: number; body: Readyz }) => boolean) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await readyz(ops);
    if (until(r)) return r;
    if (Date.now() > deadline) throw new Error(`/readyz never reached the expected state: ${JSON.stringify(r)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('the nats readiness check on a three-node cluster that loses its quorum', () => {
  let cluster: RunningNatsCluster;
  beforeAll(async () => {
    cluster = await startProvisionedCluster();
  });
  afterAll(async () => cluster?.stop());

  it('fails naming JetStream within seconds when 2 of 3 nodes stop, though the survivor answers pings, and recovers', async () => {
    // The survivor leads INGEST: a leader keeps its title about 20 s after losing its quorum.
    const survivor = await cluster.streamLeader(INGEST_STREAM);
    const [first, second] = cluster.nodes.filter((n) => n !== survivor) as [RunningNatsServer, RunningNatsServer];
    const nc = await connectAs({ ...cluster.credentials('web'), servers: survivor.url }, 'nats-check-int-test');
    const ops = await startOpsServer({
      port: 0,
      instanceId: 'web-under-test',
      metrics: new Registry(),
      checks: [natsCheck(nc)],
    });
    try {
      const healthy = await readyzUntil(ops, (r) => r.status === 200);
      expect(healthy.body.checks.nats?.detail).toMatch(/stream INGEST leader node-\d/);

      const stopped = Date.now();
      await Promise.all([first.stop(), second.stop()]);
      const down = await readyzUntil(ops, (r) => r.status === 503);
      expect(Date.now() - stopped).toBeLessThan(10_000);
      expect(down.body.failing).toEqual(['nats']);
      expect(down.body.checks.nats?.detail).toMatch(
        new RegExp(`^JetStream cannot store: stream INGEST's leader ${survivor.name} hears 0 of its 2 replicas`),
      );
      // What the check asked before: the survivor answers a round trip, and said "ready".
      expect(await nc.rtt()).toBeGreaterThanOrEqual(0);

      await first.start();
      const up = await readyzUntil(ops, (r) => r.status === 200);
      expect(up.body.checks.nats?.detail).toMatch(/stream INGEST leader node-\d/);
    } finally {
      await ops.close();
      await nc.close();
    }
  });
});
