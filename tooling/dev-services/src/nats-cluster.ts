import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { NatsRole } from '@symbology/contracts';
import { freePort } from './free-port';
import { REPO_ROOT } from './nats-binary';
import { passwordOf, startNatsServer, type NatsCredentials, type RunningNatsServer } from './nats-server';

export const NATS_CLUSTER_CONF = `${REPO_ROOT}nats-cluster.conf`;
/** The cluster's name in nats-cluster.conf. */
export const NATS_CLUSTER_NAME = 'symbology';

export type NatsClusterOptions = {
  /** Nodes; three (a JetStream R3 quorum survives one lost node). */
  size?: number;
  /** JetStream's `sync_interval` on every node (see NatsServerOptions); nats.conf's `always` when omitted. */
  syncInterval?: string;
  onLog?: (node: string, line: string) => void;
};

export type RunningNatsCluster = {
  nodes: RunningNatsServer[];
  /** Every node's client URL, comma-separated, as NATS_URL takes it. */
  url: string;
  /** The stream replica count to provision with: the node count. */
  replicas: number;
  credentials(role: NatsRole): NatsCredentials;
  connect(role: NatsRole, name?: string): Promise<NatsConnection>;
  /** The node leading a stream's RAFT group (`KV_<bucket>` for a bucket), once one is elected. */
  streamLeader(stream: string, timeoutMs?: number): Promise<RunningNatsServer>;
  /** Waits until every replica of the stream is current with its leader. */
  waitStreamCurrent(stream: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
};

/**
 * Starts a JetStream cluster of real nats-server processes (nats-cluster.conf: nats.conf plus a
 * cluster block) on free ports, every node routed to the others. Resolves once each node's
 * /healthz says JetStream is up and in contact with the meta leader.
 */
export async function startNatsCluster(options: NatsClusterOptions = {}): Promise<RunningNatsCluster> {
  const size = options.size ?? 3;
  const plan = await Promise.all(
    Array.from({ length: size }, async (_, i) => ({
      name: `node-${i + 1}`,
      port: await freePort(),
      monitorPort: await freePort(),
      clusterPort: await freePort(),
      storeDir: await mkdtemp(join(tmpdir(), `symbology-nats-node-${i + 1}-`)),
    })),
  );
  const routes = plan.map((p) => `nats-route://127.0.0.1:${p.clusterPort}`).join(',');
  // Each node must see the others before it reports healthy, so they start together.
  const nodes = await Promise.all(
    plan.map((p) =>
      startNatsServer({
        name: p.name,
        port: p.port,
        monitorPort: p.monitorPort,
        storeDir: p.storeDir,
        configFile: NATS_CLUSTER_CONF,
        extraArgs: ['--routes', routes],
        extraEnv: { SYMBOLOGY_NATS_CLUSTER_PORT: String(p.clusterPort) },
        readyPath: '/healthz',
        ...(options.syncInterval ? { syncInterval: options.syncInterval } : {}),
        ...(options.onLog ? { onLog: (line: string) => options.onLog?.(p.name, line) } : {}),
      }),
    ),
  );
  const url = nodes.map((n) => n.url).join(',');
  const credentials = (role: NatsRole): NatsCredentials => ({ servers: url, user: role, pass: passwordOf(role) });
  const connectAs = (role: NatsRole, name?: string) =>
    connect({
      servers: nodes.map((n) => n.url),
      user: role,
      pass: passwordOf(role),
      name: name ?? `test-${role}`,
      maxReconnectAttempts: -1,
    });

  // One operator connection for the probes, with a short API timeout: an election is measured in
  // the cluster's time, not in the client's default 5 s request timeout.
  let probe: Promise<NatsConnection> | undefined;
  const streamInfo = async (stream: string) => {
    probe ??= connectAs('operator', 'test-cluster-probe');
    const jsm = await jetstreamManager(await probe, { timeout: 1_000 });
    return jsm.streams.info(stream);
  };
  const poll = async <T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      try {
        const value = await probe();
        if (value !== undefined) return value;
      } catch (error) {
        last = error; // no leader yet: the API times out or answers 503
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${what} not reached after ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
  };

  // Healthy nodes are not yet a formed cluster: until the meta leader has heard from every peer,
  // creating an R3 stream fails with "no suitable peers for placement". Only the leader's /jsz
  // lists the other peers.
  await poll(`a JetStream meta leader with all ${size} peers current`, 60_000, async () => {
    const metas = await Promise.all(
      nodes.map(async (n) => {
        const jsz = (await (await fetch(`${n.monitorUrl}/jsz`)).json()) as {
          meta_cluster?: { replicas?: { current?: boolean; offline?: boolean }[] };
        };
        return jsz.meta_cluster?.replicas ?? [];
      }),
    );
    return metas.some((peers) => peers.length === size - 1 && peers.every((p) => p.current && !p.offline))
      ? true
      : undefined;
  });

  return {
    nodes,
    url,
    replicas: size,
    credentials,
    connect: connectAs,
    streamLeader: (stream, timeoutMs = 30_000) =>
      poll(`a leader for ${stream}`, timeoutMs, async () => {
        const leader = (await streamInfo(stream)).cluster?.leader;
        return nodes.find((n) => n.name === leader && n.running());
      }),
    waitStreamCurrent: async (stream, timeoutMs = 60_000) => {
      await poll(`every replica of ${stream} current`, timeoutMs, async () => {
        const cluster = (await streamInfo(stream)).cluster;
        const replicas = cluster?.replicas ?? [];
        const ok = cluster?.leader && replicas.length === size - 1 && replicas.every((r) => r.current && !r.offline);
        return ok ? true : undefined;
      });
    },
    stop: async () => {
      if (probe) await (await probe).close().catch(() => {});
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
}
