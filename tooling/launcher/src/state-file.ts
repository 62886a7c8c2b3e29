import { rename, rm, writeFile } from 'node:fs/promises';
import {
  findRunningInstance,
  readInstanceState,
  stateFilePath,
  type InstanceState,
} from '@symbology/service/instance-state';

// The file's shape and reading it are shared with the CLI (packages/service); writing it is the launcher's.
export {
  DEFAULT_DATA_DIR,
  InstanceStateSchema,
  readInstanceState,
  stateFilePath,
  type InstanceState,
} from '@symbology/service/instance-state';

export async function writeInstanceState(dataDir: string, state: InstanceState): Promise<void> {
  const file = stateFilePath(dataDir);
  await writeFile(`${file}.${process.pid}`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
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
  const state = await findRunningInstance(dataDir);
  if (!state || state.pid === process.pid) return;
  throw new AlreadyRunningError(
    `Symbology is already running from ${dataDir}: launcher pid ${state.pid}, started ${state.startedAt}, ${state.webUrl}. Stop it first (kill ${state.pid}), or use another --data-dir and other ports.`,
  );
}
