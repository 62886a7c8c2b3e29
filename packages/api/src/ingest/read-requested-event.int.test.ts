import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { INGEST_STREAM, newTaskId } from '@symbology/contracts';
import { taskEvents } from '@symbology/contracts/testing';
import type { RunningNatsCluster } from '@symbology/dev-services';
import { connectAs, isTransientNatsError, publishEvent } from '@symbology/service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProvisionedCluster } from '@symbology/service/testing';
import { readRequestedStatus } from './read-requested-event';

/** Requests published and read back at once: by direct get (any replica answers) about 70 in 300 were missing. */
const REQUESTS = 300;

describe('a task read right after ingest.request acknowledged it, on a three-node cluster', () => {
  let cluster: RunningNatsCluster;
  const connections: NatsConnection[] = [];
  beforeAll(async () => {
    cluster = await startProvisionedCluster();
  });
  afterAll(async () => {
    await Promise.all(connections.map((nc) => nc.close().catch(() => {})));
    await cluster?.stop();
  });

  it('is found every time, whichever node the reader is connected to, while the stream is busy', async () => {
    const web = await connectAs(cluster.credentials('web'), 'read-requested-publisher');
    // One reader per node: a follower's replica of INGEST may lag behind the PubAck.
    const readers = await Promise.all(
      cluster.nodes.map((node) =>
        connectAs({ ...cluster.credentials('web'), servers: node.url }, `reader-${node.name}`),
      ),
    );
    const ingestor = await cluster.connect('ingestor');
    connections.push(web, ...readers, ingestor);
    const managers: JetStreamManager[] = await Promise.all(readers.map((nc) => jetstreamManager(nc)));

    // Other tasks' events keep the replicas applying while the requests are read.
    let busy = true;
    const noise = (async () => {
      const js = jetstream(ingestor);
      for (let i = 0; busy;) {
        await Promise.all(
          Array.from({ length: 20 }, () => js.publish(`ingest.noise-${i++}.filing_started`, '{}').catch(() => {})),
        );
      }
    })();

    const missing: Array<{ taskId: string; seq: number; read: number | undefined }> = [];
    try {
      const js = jetstream(web);
      for (let i = 0; i < REQUESTS; i++) {
        const taskId = newTaskId();
        const { seq } = await publishEvent(js, taskEvents(taskId).requested());
        const status = await readRequestedStatus(managers[i % managers.length]!, taskId);
        if (status?.version !== seq || status.taskId !== taskId) missing.push({ taskId, seq, read: status?.version });
      }
    } finally {
      busy = false;
      await noise;
    }
    expect(missing).toEqual([]);
  });

  // Last: it stops two of the three nodes.
  it('is read from a replica while the stream has no leader; an unknown task is then unavailable, not missing', async () => {
    const web = await connectAs(cluster.credentials('web'), 'read-requested-publisher-2');
    connections.push(web);
    const taskId = newTaskId();
    const { seq } = await publishEvent(jetstream(web), taskEvents(taskId).requested());
    await cluster.waitStreamCurrent(INGEST_STREAM);

    const leader = await cluster.streamLeader(INGEST_STREAM);
    const survivor = cluster.nodes.find((node) => node !== leader)!;
    const reader = await connectAs({ ...cluster.credentials('web'), servers: survivor.url }, 'reader-survivor');
    connections.push(reader);
    const jsm = await jetstreamManager(reader, { timeout: 1_000 });
    await Promise.all(cluster.nodes.filter((node) => node !== survivor).map((node) => node.stop()));

    // Never "no such task"; the leader's read times out, a replica's copy answers (retried should
    // the replica not serve direct gets for a moment either: the call is then unavailable).
    const deadline = Date.now() + 15_000;
    let found: Awaited<ReturnType<typeof readRequestedStatus>> | null = null;
    while (!found) {
      found = await readRequestedStatus(jsm, taskId).catch((error: unknown) => {
        if (!isTransientNatsError(error) || Date.now() > deadline) throw error;
        return null;
      });
      expect(found).not.toBeUndefined();
      if (!found) await new Promise((r) => setTimeout(r, 100)); // the next attempt
    }
    expect(found).toMatchObject({ taskId, version: seq });
    const unknown = await readRequestedStatus(jsm, newTaskId()).then(
      (status) => ({ status }),
      (error: unknown) => ({ error }),
    );
    expect(unknown).toEqual({ error: expect.any(Error) });
    expect(isTransientNatsError((unknown as { error: unknown }).error)).toBe(true);
  });
});
