import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { isAlive } from './process/signal-process';

/**
 * `<data dir>/instance.json`: where the running local instance is, for tools that want to find it
 * (the CLI) and for a second launcher, which must not start over it. Written once everything is
 * ready, removed on exit (by the watchdog if the launcher dies).
 */
export const InstanceStateSchema = z.object({
  pid: z.number().int().positive(),
  startedAt: z.string(),
  webUrl: z.string(),
  wsUrl: z.string(),
  natsUrl: z.string(),
  services: z.record(z.string(), z.object({ url: z.string(), pid: z.number().int(), instanceId: z.string() })),
});
export type InstanceState = z.infer<typeof InstanceStateSchema>;

export const stateFilePath = (dataDir: string) => join(dataDir, 'instance.json');

export async function readInstanceState(dataDir: string): Promise<InstanceState | undefined> {
  const text = await readFile(stateFilePath(dataDir), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const parsed = InstanceStateSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function writeInstanceState(dataDir: string, state: InstanceState): Promise<void> {
  const file = stateFilePath(dataDir);
  await writeFile(`${file}.${process.pid}`, `${JSON.stringify(state, null, 2)}\n`);
  await rename(`${file}.${process.pid}`, file);
}

/** Removes the state file if it is ours (another launcher's is not ours to remove). */
export async function removeInstanceState(dataDir: string): Promise<void> {
  const state = await readInstanceState(dataDir);
  if (state?.pid === process.pid) await rm(stateFilePath(dataDir), { force: true });
}

export class AlreadyRunningError extends Error {
  override readonly name = 'AlreadyRunningError';
}

/** Refuses to start over a live instance that uses the same data dir; a stale file is ignored. */
export async function assertNotRunning(dataDir: string): Promise<void> {
  const state = await readInstanceState(dataDir);
  if (!state || state.pid === process.pid || !isAlive(state.pid)) return;
  throw new AlreadyRunningError(
    `Symbology is already running from ${dataDir}: launcher pid ${state.pid}, started ${state.startedAt}, ${state.webUrl}. Stop it first (kill ${state.pid}), or use another --data-dir and other ports.`,
  );
}
