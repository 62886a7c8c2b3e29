import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive } from '@symbology/service/instance-state';

export { isAlive };

/**
 * Signals a process, or the process group it leads (a detached child leads its own); gone is fine.
 * No fallback from group to process: once a group is empty its id may be a new, unrelated process.
 */
export function signal(pid: number, name: NodeJS.Signals, group: boolean): void {
  try {
    process.kill(group ? -pid : pid, name);
  } catch {
    // already gone
  }
}

/**
 * Asks a process to stop with `stopSignal`, waits up to `graceMs` for it to go, then kills its group.
 * Used by the watchdog for processes that are not its children, so it polls instead of awaiting exit.
 */
export async function terminate(
  pid: number,
  stopSignal: NodeJS.Signals,
  group: boolean,
  graceMs: number,
): Promise<void> {
  if (!isAlive(pid)) return;
  signal(pid, stopSignal, group);
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  signal(pid, 'SIGKILL', group);
}
