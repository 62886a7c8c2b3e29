import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Harness } from './harness';

const APP_DIR = fileURLToPath(new URL('../../', import.meta.url));

export type ChildIngestor = {
  process: ChildProcess;
  output(): string;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/**
 * The ingestor as a separate process (src/main.ts under tsx's loader), configured only through its
 * environment, as in production. Node runs it directly: the `tsx` CLI forks a child, so a SIGKILL
 * aimed at the CLI would leave the real ingestor running as an orphan.
 */
export function spawnIngestor(
  h: Harness,
  inherited: { PATH?: string; HOME?: string },
  env: Record<string, string> = {},
): ChildIngestor {
  const creds = h.nats.credentials('ingestor');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: APP_DIR,
    env: {
      PATH: inherited.PATH ?? '',
      HOME: inherited.HOME ?? '/tmp',
      NATS_URL: creds.servers,
      NATS_USER: creds.user,
      NATS_PASSWORD: creds.pass,
      DATABASE_URL: h.database.url,
      EDGAR_WWW_URL: h.mirror.wwwUrl,
      EDGAR_DATA_URL: h.mirror.dataUrl,
      EDGAR_MAX_RPS: '1000',
      EDGAR_RETRY_BASE_MS: '20',
      HTTP_PORT: '0',
      LOG_LEVEL: 'info',
      INGEST_ACK_WAIT_MS: '3000',
      INGEST_RETRY_BASE_MS: '200',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr.on('data', (b: Buffer) => (output += b.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { process: child, output: () => output, exited };
}

/** Polls until `check` returns a value, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
