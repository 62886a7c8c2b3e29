import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { WatchdogMessage } from '../watchdog/protocol';

export type Watchdog = {
  /** Stop this process (and its group) if the launcher dies without stopping it. */
  watch(pid: number, options?: { signal?: 'SIGTERM' | 'SIGINT'; group?: boolean }): void;
  forget(pid: number): void;
  /** Remove this file if the launcher dies without removing it. */
  removeOnCrash(path: string): void;
  /** The launcher stopped cleanly: the watchdog exits, touching nothing that was forgotten. */
  close(): void;
};

// Compiled with the launcher (pnpm build launcher), so it runs with no TypeScript loader.
const SCRIPT = fileURLToPath(new URL('../../dist/watchdog.js', import.meta.url));

/** Starts the watchdog (watchdog/main.ts) in its own process group, holding a pipe from us. */
export function startWatchdog(): Watchdog {
  if (!existsSync(SCRIPT)) throw new Error(`${SCRIPT} is missing: run \`pnpm build launcher\``);
  const child = spawn(process.execPath, [SCRIPT], { detached: true, stdio: ['pipe', 'ignore', 'inherit'] });
  child.unref();
  // A child's stdin pipe is a net.Socket. It must not keep the launcher's event loop alive, nor an
  // EPIPE (someone killed the watchdog) crash the launcher.
  const stdin = child.stdin as Socket;
  stdin.unref();
  stdin.on('error', () => {});
  const send = (message: WatchdogMessage) => {
    if (stdin.writable) stdin.write(`${JSON.stringify(message)}\n`);
  };
  return {
    watch: (pid, { signal = 'SIGTERM', group = true } = {}) => send({ kind: 'watch', pid, signal, group }),
    forget: (pid) => send({ kind: 'forget', pid }),
    removeOnCrash: (path) => send({ kind: 'remove', path }),
    close: () => stdin.end(),
  };
}
