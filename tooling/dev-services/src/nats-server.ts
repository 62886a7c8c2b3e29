import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { devNatsPassword, NATS_ROLES, natsPasswordVariable, type NatsRole } from '@symbology/contracts';
import { NATS_CONF, natsServerBinary } from './nats-binary';
import { natsPortArgs, readNatsPorts } from './nats-ports';

export type NatsServerOptions = {
  /** JetStream store; a fresh temp dir when omitted. Reused across restart(). */
  storeDir?: string;
  /** Client and monitoring ports; when omitted, whatever free ones nats-server binds itself. */
  port?: number;
  monitorPort?: number;
  /**
   * JetStream's `sync_interval`: nats.conf says `always` (fsync before every PubAck); a benchmark
   * may run with another (e.g. `2m`, nats-server's default) to measure what the fsync costs.
   */
  syncInterval?: string;
  /** Where the server's log lines go; silent when omitted. */
  onLog?: (line: string) => void;
  /** Server name (JetStream's peer name in a cluster); `test-<random hex>` when omitted. */
  name?: string;
  /** Config file; nats.conf when omitted (nats-cluster.conf for a cluster node). */
  configFile?: string;
  /** Further command-line flags and environment, e.g. a cluster node's routes and cluster port. */
  extraArgs?: readonly string[];
  extraEnv?: Record<string, string>;
  /** Ready means /healthz answers 200; a cluster node is not healthy until it has met its peers. */
  readyPath?: string;
  /**
   * How long a start after the first (start(), restart()) may take to be ready; 15 s when omitted.
   * A cluster node killed under load catches up on the meta leader's log before /healthz says
   * ready, which can take longer than a first start.
   */
  restartReadyMs?: number;
};

export type NatsCredentials = { servers: string; user: NatsRole; pass: string };

export type RunningNatsServer = {
  name: string;
  url: string;
  port: number;
  monitorUrl: string;
  storeDir: string;
  credentials(role: NatsRole): NatsCredentials;
  connect(role: NatsRole, name?: string): Promise<NatsConnection>;
  /** SIGTERM and wait: a clean shutdown. */
  stop(): Promise<void>;
  /** SIGKILL: no flush, no goodbye, as a crash or power cut would leave it. */
  kill(): Promise<void>;
  /** Starts it again on the same ports (the ones it bound first) and store. */
  restart(): Promise<void>;
  /** Starts it again after stop() or kill(), on the same ports and store. */
  start(): Promise<void>;
  /** Whether the process is running. */
  running(): boolean;
  /** The process id while it runs. */
  pid(): number | undefined;
};

/** Environment nats.conf needs: a password per role (development defaults) and the store dir. */
export function natsServerEnv(storeDir: string, serverName = 'symbology'): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, SYMBOLOGY_NATS_STORE_DIR: storeDir };
  env.SYMBOLOGY_NATS_SERVER_NAME ??= serverName;
  for (const role of NATS_ROLES) env[natsPasswordVariable(role)] ??= devNatsPassword(role);
  return env;
}

export function passwordOf(role: NatsRole): string {
  return process.env[natsPasswordVariable(role)] ?? devNatsPassword(role);
}

/**
 * Starts a real nats-server from the repo's nats.conf. Unless given ports, it binds free ones itself
 * and reports them in a ports file in the store dir; later starts (restart) reuse those.
 */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<RunningNatsServer> {
  const binary = await natsServerBinary();
  const storeDir = options.storeDir ?? (await mkdtemp(join(tmpdir(), 'symbology-nats-')));
  let port = options.port;
  let monitorPort = options.monitorPort;
  const name = options.name ?? `test-${randomBytes(4).toString('hex')}`;
  let child: ChildProcess | undefined;

  const baseConf = options.configFile ?? NATS_CONF;
  const conf = options.syncInterval ? await confWithSync(storeDir, baseConf, options.syncInterval) : baseConf;
  const launch = async (readyMs?: number): Promise<{ port: number; monitorPort: number }> => {
    const args = ['-c', conf, ...natsPortArgs({ client: port, monitor: monitorPort }, storeDir)];
    args.push(...(options.extraArgs ?? []));
    const env = { ...natsServerEnv(storeDir, name), ...options.extraEnv };
    child = spawn(binary, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const onData = (b: Buffer) => {
      const text = b.toString();
      options.onLog?.(text);
      tail.push(text);
      if (tail.length > 20) tail.shift();
    };
    child.stderr?.on('data', onData);
    child.stdout?.on('data', onData);
    const proc = child;
    const readyPath = options.readyPath ?? '/healthz?js-enabled-only=true';
    try {
      if (proc.pid === undefined) throw new Error(`nats-server ${binary} did not start`);
      const bound = await readNatsPorts(storeDir, proc.pid, () => proc.exitCode === null && proc.signalCode === null);
      port = bound.client;
      monitorPort = bound.monitor;
      await waitUntilReady(`http://127.0.0.1:${monitorPort}${readyPath}`, proc, readyMs);
      return { port, monitorPort };
    } catch (error) {
      // Not left running: a node that never got ready must not hold its ports or store.
      await exit('SIGKILL');
      throw new Error(`${(error as Error).message}\n${tail.join('')}`, { cause: error });
    }
  };
  const exit = async (signal: NodeJS.Signals) => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill(signal);
    });
  };

  const bound = await launch();
  const url = `nats://127.0.0.1:${bound.port}`;
  const credentials = (role: NatsRole): NatsCredentials => ({ servers: url, user: role, pass: passwordOf(role) });
  return {
    name,
    url,
    port: bound.port,
    monitorUrl: `http://127.0.0.1:${bound.monitorPort}`,
    storeDir,
    credentials,
    connect: (role, name) => connect({ ...credentials(role), name: name ?? `test-${role}` }),
    stop: () => exit('SIGTERM'),
    kill: () => exit('SIGKILL'),
    restart: async () => {
      await exit('SIGTERM');
      await launch(options.restartReadyMs);
    },
    start: async () => {
      if (child) throw new Error(`nats-server ${name} is already running`);
      await launch(options.restartReadyMs);
    },
    running: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    pid: () => child?.pid,
  };
}

/**
 * A copy of the config beside the store with another `sync_interval`; everything else as written.
 * A config that sets none itself (nats-cluster.conf) gets the copy of the file it includes.
 */
async function confWithSync(storeDir: string, baseConf: string, syncInterval: string, prefix = ''): Promise<string> {
  if (!/^(always|\d+(ms|s|m|h))$/.test(syncInterval)) throw new Error(`not a sync_interval: ${syncInterval}`);
  let text = await readFile(baseConf, 'utf8');
  const path = join(storeDir, `${prefix}${basename(baseConf)}`);
  const include = /^\s*include\s+(\S+)\s*$/m.exec(text);
  if (/^\s*sync_interval:.*$/m.test(text)) {
    // Quoted: unquoted, nats.conf reads `2m` as the number 2,000,000 (a size suffix), i.e. seconds.
    const value = syncInterval === 'always' ? 'always' : JSON.stringify(syncInterval);
    text = text.replace(/^(\s*)sync_interval:.*$/m, `$1sync_interval: ${value}`);
  } else if (include) {
    const copy = await confWithSync(
      storeDir,
      resolve(dirname(baseConf), include[1]!),
      syncInterval,
      `included-${prefix}`,
    );
    text = text.replace(include[0], `include ./${basename(copy)}`);
  } else {
    throw new Error(`${baseConf} has no sync_interval line to replace`);
  }
  await writeFile(path, text);
  return path;
}

export async function waitUntilReady(healthUrl: string, child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nats-server exited with code ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(healthUrl);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nats-server not healthy at ${healthUrl} after ${timeoutMs} ms`);
}
