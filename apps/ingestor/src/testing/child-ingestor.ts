import { fileURLToPath } from 'node:url';
import { spawnServiceProcess, type ServiceChild } from '@symbology/dev-services';
import type { Harness } from './harness';

const APP_DIR = fileURLToPath(new URL('../../', import.meta.url));

export type ChildIngestor = ServiceChild;

/** The ingestor as a separate process on the harness's NATS, database and mirror, configured only through its environment. */
export function spawnIngestor(
  h: Harness,
  inherited: { PATH?: string; HOME?: string },
  env: Record<string, string> = {},
): ChildIngestor {
  const creds = h.nats.credentials('ingestor');
  return spawnServiceProcess(APP_DIR, {
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
  });
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
