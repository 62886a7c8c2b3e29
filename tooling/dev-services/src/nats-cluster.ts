import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { NatsRole } from '@symbology/contracts';
import { freePort } from './free-port';
import { REPO_ROOT } from './nats-binary';
import { passwordOf, startNatsServer, type NatsCredentials, type RunningNatsServer } from './nats-server';
import { retryOnPortClash } from './port-clash';

export const NATS_CLUSTER_CONF = `${REPO_ROOT}nats-cluster.conf`;
/** The cluster's name in nats-cluster.conf. */
export const NATS_CLUSTER_NAME = 'symbology';

export type NatsClusterOptions = {
  /** Nodes; three (a JetStream R3 quorum survives one lost node). */
  size?: number;
  /** JetStream's `sync_interval` on every node (see NatsServerOptions); nats.conf's `always` when omitted. */
  syncInterval?: string;
  onLog?: (node: string, line: string) => void;
  /** How long a fresh cluster may take to form before it is started again (default 25 s). */
  formationMs?: number;
  /** Clusters started before giving up (default 3). */
  formationAttempts?: number;
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

/** How long a fresh cluster may take to form before it is started again, and how many tries. */
const FORMATION_MS = 25_000;
const FORMATION_ATTEMPTS = 3;
/** Log lines kept per node, shown when the cluster never forms. */
const LOG_TAIL = 15;

/**
 * Starts a JetStream cluster of real nats-server processes (nats-cluster.conf: nats.conf plus a
 * cluster block), every node routed to the others. Each node binds its own client and monitoring
 * ports; the cluster ports are picked beforehand (each node's routes name the others'), and the
 * nodes are started again on new ones if one was taken before its node bound it. Resolves once
 * each node's /healthz says JetStream is up and the meta leader counts every other node as a
 * current peer.
 * A cluster that has not formed within `formationMs` (nats-server 2.10 can leave a peer "not
 * current" for good) is stopped and started again on new ports and stores, up to
 * `formationAttempts` clusters; the last failure carries each node's last log lines.
 */
export async function startNatsCluster(options: NatsClusterOptions = {}): Promise<RunningNatsCluster> {
  const size = options.size ?? 3;
  const { formationMs = FORMATION_MS, formationAttempts = FORMATION_ATTEMPTS } = options;
  for (let attempt = 1; ; attempt++) {
    const logs = new Map<string, string[]>();
    const started: RunningNatsServer[] = [];
    try {
      started.push(
        ...(await retryOnPortClash(() =>
          startNodes(size, {
            ...options,
            onLog: (node, line) => {
              const tail = logs.get(node) ?? [];
              tail.push(line);
              if (tail.length > LOG_TAIL) tail.shift();
              logs.set(node, tail);
              options.onLog?.(node, line);
            },
          }),
        )),
      );
      await poll(`a JetStream meta leader with all ${size} peers current`, formationMs, () => formed(started));
      return runningCluster(started);
    } catch (error) {
      await Promise.all(started.map((n) => n.stop()));
      if (attempt >= formationAttempts) {
        const tails = [...logs].map(([node, lines]) => `--- ${node}\n${lines.join('')}`).join('\n');
        throw new Error(`${(error as Error).message} (${attempt} clusters started)\n${tails}`, { cause: error });
      }
    }
  }
}

async function startNodes(size: number, options: NatsClusterOptions): Promise<RunningNatsServer[]> {
  const plan = await Promise.all(
    Array.from({ length: size }, async (_, i) => ({
      name: `node-${i + 1}`,
      clusterPort: await freePort(),
      storeDir: await mkdtemp(join(tmpdir(), `symbology-nats-node-${i + 1}-`)),
    })),
  );
  const routes = plan.map((p) => `nats-route://127.0.0.1:${p.clusterPort}`).join(',');
  // Each node must see the others before it reports healthy, so they start together; if one
  // does not come up (its cluster port taken since it was picked), the others are stopped.
  const results = await Promise.allSettled(
    plan.map((p) =>
      startNatsServer({
        name: p.name,
        storeDir: p.storeDir,
        configFile: NATS_CLUSTER_CONF,
        extraArgs: ['--routes', routes],
        extraEnv: { SYMBOLOGY_NATS_CLUSTER_PORT: String(p.clusterPort) },
        readyPath: '/healthz',
        // Killed under load, a node may take a while to be current with the meta leader again
        // (seen: more than 15 s in the chaos campaign); a first start keeps the short bound, so a
        // cluster that does not form is started again soon.
        restartReadyMs: 60_000,
        ...(options.syncInterval ? { syncInterval: options.syncInterval } : {}),
        ...(options.onLog ? { onLog: (line: string) => options.onLog?.(p.name, line) } : {}),
      }),
    ),
  );
  const nodes = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = results.find((r) => r.status === 'rejected');
  if (!failed) return nodes;
  await Promise.all(nodes.map((n) => n.stop()));
  throw failed.reason;
}

/**
 * Healthy nodes are not yet a formed cluster: until the meta leader has heard from every peer,
 * creating an R3 stream fails with "no suitable peers for placement". Only the leader's /jsz
 * lists the other peers.
 */
async function formed(nodes: RunningNatsServer[]): Promise<true | undefined> {
  const metas = await Promise.all(
    nodes.map(async (n) => {
      const jsz = (await (await fetch(`${n.monitorUrl}/jsz`)).json()) as {
        meta_cluster?: { replicas?: { current?: boolean; offline?: boolean }[] };
      };
      return jsz.meta_cluster?.replicas ?? [];
    }),
  );
  return metas.some((peers) => peers.length === nodes.length - 1 && peers.every((p) => p.current && !p.offline))
    ? true
    : undefined;
}

/** Polls until `probe` gives a value; its errors (no leader yet: a timeout or a 503) mean not yet. */
async function poll<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} not reached after ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}

function runningCluster(nodes: RunningNatsServer[]): RunningNatsCluster {
  const size = nodes.length;
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
