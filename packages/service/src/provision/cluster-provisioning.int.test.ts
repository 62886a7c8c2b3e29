import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import {
  EDGAR_LIMITER_BUCKET,
  INFLIGHT_BUCKET,
  INGEST_ADVISORIES_STREAM,
  INGEST_LEASE_BUCKET,
  INGEST_STREAM,
} from '@symbology/contracts';
import { startNatsCluster, type RunningNatsCluster } from '@symbology/dev-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStreamNotFound } from '../errors/jetstream-codes';
import { ensureStreams } from './ensure-streams';

const BUCKETS = [EDGAR_LIMITER_BUCKET, INFLIGHT_BUCKET, INGEST_LEASE_BUCKET];

describe('the three-node JetStream cluster from nats-cluster.conf', () => {
  let cluster: RunningNatsCluster;
  beforeAll(async () => {
    cluster = await startNatsCluster();
  });
  afterAll(async () => cluster?.stop());

  it('provisions both streams and the KV buckets at R3, keeps the monitor port on 127.0.0.1, and survives the leader dying', async () => {
    const op = await cluster.connect('operator');
    try {
      await ensureStreams(op, { replicas: cluster.replicas });
      const jsm = await jetstreamManager(op);
      for (const stream of [INGEST_STREAM, INGEST_ADVISORIES_STREAM, 'KV_edgar_limiter', 'KV_ingest_inflight']) {
        expect((await jsm.streams.info(stream)).config.num_replicas).toBe(3);
      }
      const varz = (await (await fetch(`${cluster.nodes[0]!.monitorUrl}/varz`)).json()) as Record<string, unknown>;
      expect(varz.http_host).toBe('127.0.0.1');
      expect(varz.cluster).toMatchObject({ name: 'symbology' });

      const web = await cluster.connect('web');
      const js = jetstream(web);
      await js.publish('ingest.t1.requested', '{}', { msgID: 'one' });
      const leader = await cluster.streamLeader(INGEST_STREAM);
      await leader.kill();
      const next = await cluster.streamLeader(INGEST_STREAM);
      expect(next.name).not.toBe(leader.name);
      await js.publish('ingest.t1.requested', '{}', { msgID: 'two' });
      await leader.start(); // healthy again = caught up with the meta leader and its streams
      await cluster.waitStreamCurrent(INGEST_STREAM);
      expect((await jsm.streams.info(INGEST_STREAM)).state.messages).toBe(2);
      await web.close();
    } finally {
      await op.close();
    }
  });

  it('raises streams and KV buckets provisioned at 1 replica to 3 when provisioned again at 3, saying what changed', async () => {
    const op = await cluster.connect('operator');
    try {
      const jsm = await jetstreamManager(op);
      const streams = [INGEST_STREAM, INGEST_ADVISORIES_STREAM, ...BUCKETS.map((bucket) => `KV_${bucket}`)];
      // From nothing, whatever the test before left: a single server's provisioning, then the cluster's.
      for (const stream of streams) {
        await jsm.streams.delete(stream).catch((error: unknown) => {
          if (!isStreamNotFound(error)) throw error;
        });
      }
      expect(await ensureStreams(op, { replicas: 1 })).toEqual([]);
      for (const stream of streams) expect((await jsm.streams.info(stream)).config.num_replicas).toBe(1);

      const changes = await ensureStreams(op, { replicas: 3 });
      for (const stream of streams) {
        expect({ stream, replicas: (await jsm.streams.info(stream)).config.num_replicas }).toEqual({
          stream,
          replicas: 3,
        });
      }
      expect(changes).toEqual(streams.map((stream) => ({ stream, settings: { num_replicas: { from: 1, to: 3 } } })));
      const kvm = new Kvm(op);
      for (const bucket of BUCKETS) {
        const status = await (await kvm.open(bucket)).status();
        expect({ bucket, replicas: status.replicas }).toEqual({ bucket, replicas: 3 });
      }
      for (const stream of streams) await cluster.waitStreamCurrent(stream);
      expect(await ensureStreams(op, { replicas: 3 })).toEqual([]); // nothing left to change
    } finally {
      await op.close();
    }
  });
});
