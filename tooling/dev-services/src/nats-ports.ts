import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The client and monitoring ports a running nats-server bound. */
export type NatsPorts = { client: number; monitor: number };

/**
 * nats-server flags for its client and monitoring ports: the given ones, else -1, which has it bind
 * any free port itself. Either way it writes what it bound to `<name>_<pid>.ports` in
 * `portsFileDir` (and removes the file on a clean shutdown): no port is picked for it beforehand
 * that another process could take before it binds.
 */
export function natsPortArgs(
  ports: { client?: number | undefined; monitor?: number | undefined },
  portsFileDir: string,
): string[] {
  return ['-p', String(ports.client || -1), '-m', String(ports.monitor || -1), '--ports_file_dir', portsFileDir];
}

/** The port of the first URL a ports-file entry lists (`{"nats":["nats://127.0.0.1:4222"],...}`). */
const portOf = (urls: unknown): number | undefined => {
  const url: unknown = Array.isArray(urls) ? urls[0] : undefined;
  return typeof url === 'string' ? Number(new URL(url).port) || undefined : undefined;
};

/**
 * The ports the nats-server with this pid reported in `portsFileDir`, once it has written them
 * (after it listens on every port); rejects if it exits first or takes longer than `timeoutMs`.
 */
export async function readNatsPorts(
  portsFileDir: string,
  pid: number,
  running: () => boolean,
  timeoutMs = 30_000,
): Promise<NatsPorts> {
  const deadline = Date.now() + timeoutMs;
  const suffix = `_${pid}.ports`;
  while (Date.now() < deadline) {
    if (!running()) throw new Error(`nats-server (pid ${pid}) exited before it reported its ports`);
    const file = (await readdir(portsFileDir).catch(() => [])).find((f) => f.endsWith(suffix));
    const text = file ? await readFile(join(portsFileDir, file), 'utf8').catch(() => '') : '';
    // Written in one call, but read while it writes it is empty or cut short: then read it again.
    const parsed = text ? safeJson(text) : undefined;
    if (parsed) {
      const client = portOf(parsed.nats);
      const monitor = portOf(parsed.monitoring);
      if (client && monitor) return { client, monitor };
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`nats-server (pid ${pid}) wrote no ports file in ${portsFileDir} within ${timeoutMs} ms`);
}

function safeJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
