import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { devNatsPassword, NATS_ROLES, natsPasswordVariable, type NatsRole } from '@symbology/contracts';
import { freePort } from './free-port';
import { NATS_CONF, natsServerBinary } from './nats-binary';

export type NatsServerOptions = {
  /** JetStream store; a fresh temp dir when omitted. Reused across restart(). */
  storeDir?: string;
  port?: number;
  monitorPort?: number;
  /**
   * JetStream's `sync_interval`: nats.conf says `always` (fsync before every PubAck); a benchmark
   * may run with another (e.g. `2m`, nats-server's default) to measure what the fsync costs.
   */
  syncInterval?: string;
  /** Where the server's log lines go; silent when omitted. */
  onLog?: (line: string) => void;
  /** Server name (JetStream's peer name in a cluster); `test-<port>` when omitted. */
  name?: string;
  /** Config file; nats.conf when omitted (nats-cluster.conf for a cluster node). */
  configFile?: string;
  /** Further command-line flags and environment, e.g. a cluster node's routes and cluster port. */
  extraArgs?: readonly string[];
  extraEnv?: Record<string, string>;
  /** Ready means /healthz answers 200; a cluster node is not healthy until it has met its peers. */
  readyPath?: string;
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
  /** Starts it again on the same ports and store. */
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

/** Starts a real nats-server from the repo's nats.conf on free ports. */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<RunningNatsServer> {
  const binary = await natsServerBinary();
  const storeDir = options.storeDir ?? (await mkdtemp(join(tmpdir(), 'symbology-nats-')));
  const port = options.port ?? (await freePort());
  const monitorPort = options.monitorPort ?? (await freePort());
  const url = `nats://127.0.0.1:${port}`;
  const name = options.name ?? `test-${port}`;
  let child: ChildProcess | undefined;

  const baseConf = options.configFile ?? NATS_CONF;
  const conf = options.syncInterval ? await confWithSync(storeDir, baseConf, options.syncInterval) : baseConf;
  const launch = async () => {
    const args = ['-c', conf, '-p', String(port), '-m', String(monitorPort)];
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
    const readyPath = options.readyPath ?? '/healthz?js-enabled-only=true';
    await waitUntilReady(`http://127.0.0.1:${monitorPort}${readyPath}`, child).catch((error: Error) => {
      throw new Error(`${error.message}\n${tail.join('')}`);
    });
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

  await launch();
  const credentials = (role: NatsRole): NatsCredentials => ({ servers: url, user: role, pass: passwordOf(role) });
  return {
    name,
    url,
    port,
    monitorUrl: `http://127.0.0.1:${monitorPort}`,
    storeDir,
    credentials,
    connect: (role, name) => connect({ ...credentials(role), name: name ?? `test-${role}` }),
    stop: () => exit('SIGTERM'),
    kill: () => exit('SIGKILL'),
    restart: async () => {
      await exit('SIGTERM');
      await launch();
    },
    start: async () => {
      if (child) throw new Error(`nats-server ${name} is already running`);
      await launch();
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
