import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { freePort, retryOnPortClash } from '@symbology/dev-services';
import { childEnv } from '../env';
import type { TestSystem } from './test-system';

const MAIN = fileURLToPath(new URL('../server/main.ts', import.meta.url));
const WEB_DIR = fileURLToPath(new URL('../../', import.meta.url));

export type WebProcess = {
  url: string;
  wsUrl: string;
  /** The process's resident set size now, in MB (from /proc). */
  rssMb(): Promise<number>;
  stop(): Promise<void>;
};

/**
 * A web server as its own OS process, the way `pnpm start` runs it (API and WebSocket only). It is
 * told its port (its URL is the test's): when another process takes that port before it binds it,
 * it is started again on another.
 */
export function spawnWeb(system: TestSystem, env: Record<string, string> = {}): Promise<WebProcess> {
  return retryOnPortClash(async () => spawnWebOn(await freePort(), system, env));
}

async function spawnWebOn(port: number, system: TestSystem, env: Record<string, string>): Promise<WebProcess> {
  const config = system.env();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: WEB_DIR,
    env: childEnv({
      NATS_URL: config.NATS_URL,
      NATS_PASSWORD: config.NATS_PASSWORD,
      DATABASE_URL: config.DATABASE_URL,
      PORT: String(port),
      WEB_NEXT_MODE: 'off',
      LOG_LEVEL: 'warn',
      ...env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Shown as before, and its end kept: a process that died before it was ready says why.
  let tail = '';
  const keep = (to: NodeJS.WriteStream) => (b: Buffer) => {
    to.write(b);
    tail = (tail + b.toString()).slice(-4_000);
  };
  child.stdout?.on('data', keep(process.stdout));
  child.stderr?.on('data', keep(process.stderr));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  const died = () =>
    child.exitCode !== null || child.signalCode !== null
      ? new Error(`web process on ${port} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail}`)
      : undefined;
  for (let i = 0; i < 300; i++) {
    const dead = died();
    if (dead) throw dead;
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    // A 200 counts only while our process runs: else it came from whoever took the port.
    const deadAfter = ready ? died() : undefined;
    if (deadAfter) throw deadAfter;
    if (ready) {
      return {
        url,
        wsUrl: `${url.replace('http', 'ws')}/api/trpc-ws`,
        rssMb: async () => {
          const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
          return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
        },
        stop,
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`web process on ${port} not ready`);
}
