import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '@symbology/dev-services';
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

/** A web server as its own OS process, the way `pnpm start` runs it (API and WebSocket only). */
export async function spawnWeb(system: TestSystem, env: Record<string, string> = {}): Promise<WebProcess> {
  const port = await freePort();
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
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    ) {
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
