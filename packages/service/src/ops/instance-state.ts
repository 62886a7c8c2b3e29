import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * `<data dir>/instance.json`: where the local instance `npm start` runs is, for the tools that look
 * for it (the `symbology` CLI) and for a second launcher, which must not start over it. The
 * launcher (tooling/launcher) writes it once everything is ready and removes it on exit; this module
 * is what both sides share of it. Free of NATS imports.
 */
export const InstanceStateSchema = z.object({
  /** The launcher's; a reader checks it is alive (a file left by a machine crash is stale). */
  pid: z.number().int().positive(),
  startedAt: z.string(),
  webUrl: z.string(),
  wsUrl: z.string(),
  natsUrl: z.string(),
  /** Each service's base URL (its /healthz, /readyz, /metrics), pid and instance id. */
  services: z.record(z.string(), z.object({ url: z.string(), pid: z.number().int(), instanceId: z.string() })),
  /**
   * The read-only NATS role's credentials, so that tools (`symbology events`) can tail the stream
   * without being told them; absent in files written before it was added. The file is mode 0600.
   */
  subscriber: z.object({ user: z.string(), pass: z.string() }).optional(),
});
export type InstanceState = z.infer<typeof InstanceStateSchema>;

/** The launcher's data dir when neither --data-dir nor SYMBOLOGY_DATA_DIR names one: the repo's `.data`. */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../../../.data', import.meta.url));

export const stateFilePath = (dataDir: string) => join(dataDir, 'instance.json');

/** The state file's contents, or undefined when there is none or it does not parse. */
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

/** The instance running from this data dir: its state file, while the launcher that wrote it is alive. */
export async function findRunningInstance(dataDir: string): Promise<InstanceState | undefined> {
  const state = await readInstanceState(dataDir);
  return state && isAlive(state.pid) ? state : undefined;
}

/**
 * True while the process runs. A zombie (exited, not yet reaped) counts as gone: a child whose
 * launcher died is reparented to pid 1, which in a container may never reap it.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists, we just may not signal it.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    // /proc/<pid>/stat: "pid (command) state ..."; the command may itself hold parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}
